import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EXAMPLE, runParley, tempDir } from '../helpers/cli.ts';

// `parley test --voice` end to end, with the real local engines: flite speaks the caller's
// turns into the voice loop in real time, the agent hears them through the Silero VAD and
// pocketsphinx (its listen.stt), the scripted model answers, flite speaks the answers.

const VOICE_SCENARIO = 'answers the audit price by voice, within the latency budget';

interface JsonTurn {
  turn: number;
  role: 'agent' | 'caller';
  text: string;
  said?: string;
  latency?: Record<string, number | null>;
}

describe('parley test --voice', { timeout: 90_000 }, () => {
  it('runs the example voice scenario through flite and pocketsphinx and reports what was said, heard and how fast', async () => {
    const out = tempDir();
    const r = await runParley(['test', 'examples/sales-booking', '--voice', '--json', join(out, 'results.json')], { env: { PARLEY_DATABASE_URL: `file:${join(out, 'unused.db')}` } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const lines = r.stdout.split('\n').map((l) => l.trim());
    assert.match(lines[0], /^parley test · sales-booking \(version \w+\) · 1 scenario · voice$/);
    assert.equal(lines[1], 'ears local:pocketsphinx · voice local:flite@rms · caller local:flite');
    assert.match(r.stdout, new RegExp(`✓ ${VOICE_SCENARIO}`));
    assert.ok(lines.some((l) => /^turn 1: said "How much does an audit cost\?" · heard "[^"]*audit[^"]*" · voice-to-voice \d+ ms \(endpointing \d+ ms/.test(l)), r.stdout);
    assert.ok(lines.some((l) => /^turn 2: said "Goodbye\." · heard "[^"]*" · voice-to-voice \d+ ms/.test(l)), r.stdout);
    assert.match(r.stdout, /1 scenario: 1 passed, 0 failed/);

    const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    assert.deepEqual(json.totals, { scenarios: 1, passed: 1, failed: 0, skipped: 0, runs: 1, passRate: 1 });
    const run = json.scenarios[0].runs[0];
    assert.equal(run.mode, 'voice');
    assert.deepEqual(run.speech, { stt: 'local:pocketsphinx', tts: 'local:flite', callerVoice: 'local:flite' });
    assert.equal(run.endedByAgent, true);
    const transcript: JsonTurn[] = run.transcript;
    const callers = transcript.filter((t) => t.role === 'caller');
    assert.deepEqual(callers.map((t) => [t.turn, t.said]), [[1, 'How much does an audit cost?'], [2, 'Goodbye.']]);
    assert.match(callers[0].text, /audit/, 'what the agent heard is kept beside what was said');
    const answer = transcript.find((t) => t.role === 'agent' && t.turn === 1)!;
    assert.match(answer.text, /2,400/);
    for (const stage of ['endpointingMs', 'sttFinalMs', 'llmFirstTokenMs', 'ttsFirstAudioMs', 'voiceToVoiceMs']) assert.equal(typeof answer.latency?.[stage], 'number', `${stage} measured`);
    assert.ok(answer.latency!.voiceToVoiceMs! <= 3000, 'within the budget the scenario sets');
  });

  it('fails a scenario whose answer blows its latency budget, pointing at the turn with the measured numbers', async () => {
    const dir = join(tempDir(), 'sales-booking');
    cpSync(EXAMPLE, dir, { recursive: true });
    const file = join(dir, 'tests/voice-too-slow.yaml');
    writeFileSync(
      file,
      [
        'name: answers faster than anyone can',
        'modes: [voice]',
        'caller:',
        '  turns:',
        '    - say: Goodbye.',
        '      expect:',
        '        latency: { voiceToVoiceMs: 200 }   # the end-of-turn wait alone is 500 ms',
        'model:',
        '  script:',
        '    - text: Goodbye!',
        '',
      ].join('\n'),
    );
    const r = await runParley(['test', dir, '--voice', '--filter', 'faster']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const lines = r.stdout.split('\n').map((l) => l.trim());
    assert.match(r.stdout, /✗ answers faster than anyone can/);
    const failure = lines.find((l) => l.startsWith(`${file}:7:36 caller.turns.0.expect.latency.voiceToVoiceMs: `));
    assert.ok(failure, r.stdout);
    const [, measured] = /voiceToVoiceMs was (\d+) ms, over the budget of 200 ms: voice-to-voice (\d+) ms \(endpointing \d+ ms, STT final -?\d+ ms, model first token \d+ ms, first audio \d+ ms\)$/.exec(failure) ?? [];
    assert.ok(Number(measured) > 200, failure);
    const at = lines.indexOf('at turn 1:');
    assert.ok(at > 0, r.stdout);
    assert.equal(lines[at + 2], '▶ caller › Goodbye.');
    assert.match(lines[at + 3], /^heard: "/);
    assert.equal(lines[at + 4], '▶ agent  › Goodbye!');
    assert.match(lines[at + 5], new RegExp(`^latency: voice-to-voice ${measured} ms`));
  });

  it('refuses speech options without --voice, and says when no scenario runs in voice mode', async () => {
    const flags = await runParley(['test', 'examples/sales-booking', '--stt', 'local:pocketsphinx']);
    assert.equal(flags.code, 2);
    assert.match(flags.stderr, /--stt applies only in voice mode: add --voice/);
    const none = await runParley(['test', 'examples/sales-booking', '--voice', '--filter', 'declines']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no scenario matching "declines" in .* runs in voice mode \(1 is text only\): add `modes: \[text, voice\]`/);
    const key = await runParley(['test', 'examples/sales-booking', '--voice', '--stt', 'deepgram:nova-3']);
    assert.equal(key.code, 2);
    assert.match(key.stderr, /voice mode: the agent’s ears \(--stt\): deepgram:nova-3 needs DEEPGRAM_API_KEY/);
  });
});
