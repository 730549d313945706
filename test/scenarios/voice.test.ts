import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { createEnergyVad } from '../../src/audio/energy-vad.ts';
import { knowledgeSpec } from '../../src/cli/runtime.ts';
import { ModelConfigError, resolveModel } from '../../src/llm/model.ts';
import { CallerLine } from '../../src/scenarios/caller-line.ts';
import { indexKnowledge, type KnowledgeTemplate } from '../../src/scenarios/knowledge.ts';
import { parseScenario, type Scenario } from '../../src/scenarios/load.ts';
import { scenarioModels } from '../../src/scenarios/models.ts';
import { formatFailures, formatOutcome } from '../../src/scenarios/report.ts';
import { runScenario } from '../../src/scenarios/run.ts';
import type { ScenarioSpeech } from '../../src/scenarios/voice-speech.ts';
import { AsyncQueue } from '../../src/util/async-queue.ts';
import type { SpeechToText, SttEvent, SttStream, TextToSpeech } from '../../src/speech/types.ts';
import { startFakeOpenAI } from '../../src/testing/openai.ts';
import { TimedTts } from '../../src/testing/voice.ts';
import { EXAMPLE } from '../helpers/cli.ts';

// Voice mode of the scenario runner, with speech engines whose behaviour the test knows: the
// caller's voice is a tone (one per " / "-separated part, 1.2 s of silence between parts), and
// the agent's ears "hear" the next of their lines each time a burst of sound is followed by
// 200 ms of quiet. The real VoiceSession, energy VAD, turn-taking and Conversation run between
// them, in real time. (The real engines, flite and pocketsphinx, run in test/cli/test-voice.test.ts.)

/** A recogniser that hears its `lines` in order, one per burst of sound. */
class LinesStt implements SpeechToText {
  readonly id = 'test:lines';
  readonly sampleRate = 16000;
  #lines: string[];
  constructor(lines: string[]) {
    this.#lines = [...lines];
  }
  stream(): SttStream {
    const queue = new AsyncQueue<SttEvent>();
    let loud = false;
    let quietSamples = 0;
    let pushed = 0;
    return {
      push: (pcm) => {
        pushed += pcm.length;
        if (pcm.some((x) => Math.abs(x) > 500)) {
          loud = true;
          quietSamples = 0;
        } else if (loud && (quietSamples += pcm.length) >= 3200) {
          loud = false;
          const text = this.#lines.shift();
          if (text !== undefined) queue.push({ type: 'final', text, atMs: pushed / 16 });
        }
      },
      end: () => queue.end(),
      [Symbol.asyncIterator]: () => queue[Symbol.asyncIterator](),
    };
  }
}

/** The caller's voice: 50 ms of tone per character, and a pause of 1.2 s at each " / ". */
class PausingTts implements TextToSpeech {
  readonly id = 'test:tone';
  readonly sampleRate = 16000;
  async *speak(text: AsyncIterable<string>): AsyncIterable<Int16Array> {
    for await (const t of text) {
      const parts = t.split(' / ');
      for (const [i, part] of parts.entries()) {
        yield new Int16Array(part.length * 800).fill(3000);
        if (i < parts.length - 1) yield new Int16Array(16000 * 1.2);
      }
    }
  }
}

const noModels = scenarioModels(async () => {
  throw new ModelConfigError('no API key for openai:gpt-4.1-mini: set OPENAI_API_KEY');
}, {});

function speech(heard: string[], patience?: ScenarioSpeech['patience']): ScenarioSpeech {
  return {
    stt: new LinesStt(heard),
    tts: new TimedTts({ msPerChar: 1 }),
    caller: { tts: new PausingTts(), label: 'test:tone' },
    vad: () => createEnergyVad({ minSilenceMs: 300 }),
    notes: [],
    patience,
  };
}

describe('runScenario in voice mode', { timeout: 60_000 }, () => {
  let agent: Agent;
  let knowledge: KnowledgeTemplate;
  before(async () => {
    const example = await loadAgent(EXAMPLE);
    agent = { ...example, config: { ...example.config, persona: { ...example.config.persona, firstMessage: 'Hi, this is Ada.' } } };
    knowledge = await indexKnowledge(agent, knowledgeSpec(agent).sources);
  });
  after(() => knowledge.store.close());

  const scenario = (data: object): Scenario => {
    const { scenario, problems } = parseScenario(stringify({ modes: ['voice'], ...data }), 'tests/v.yaml', agent);
    assert.deepEqual(problems, []);
    return scenario!;
  };

  it('speaks each turn, keeps what was said beside what was heard, and checks heard words and latency', async () => {
    const s = scenario({
      caller: {
        turns: [
          { say: 'How much does an audit cost?', expect: { heard: 'audit', says: '2,400', latency: { voiceToVoiceMs: 20_000 } } },
          { say: 'Goodbye.', expect: { heard: 'goodbye' } },
        ],
      },
      model: { script: [{ text: 'The audit is 2,400 euros.' }, { text: 'Bye now!' }] },
    });
    const r = await runScenario(s, { agent, knowledge, models: noModels, env: {}, voice: speech(['how much does an audit cost', 'good by']) });
    assert.equal(r.mode, 'voice');
    assert.deepEqual(
      r.transcript.map((t) => [t.turn, t.role, t.said, t.text]),
      [
        [0, 'agent', undefined, 'Hi, this is Ada.'],
        [1, 'caller', 'How much does an audit cost?', 'how much does an audit cost'],
        [1, 'agent', undefined, 'The audit is 2,400 euros.'],
        [2, 'caller', 'Goodbye.', 'good by'],
        [2, 'agent', undefined, 'Bye now!'],
      ],
    );
    assert.deepEqual(
      r.failures.map((f) => [f.turn, f.field, f.message]),
      [[2, 'caller.turns.1.expect.heard', 'the agent heard "good by", which does not contain "goodbye" (the caller said "Goodbye.")']],
    );
    const answer = r.transcript[2].latency!;
    // The session's own clock: a finished question ends quickEndpointingDelayMs after the speech (detector auto = text).
    assert.ok(answer.endpointingMs! >= agent.config.listen.turn.quickEndpointingDelayMs, JSON.stringify(answer));
    assert.ok(answer.voiceToVoiceMs! >= answer.endpointingMs!, JSON.stringify(answer));
    assert.equal(r.endReason, 'caller hung up');
    assert.equal(r.endedByAgent, false);

    const report = formatFailures(r).join('\n');
    assert.match(report, /▶ caller › Goodbye\.\n +heard: "good by" \(misheard\)/);
    assert.match(report, /caller › How much does an audit cost\?\n +heard: "how much does an audit cost"\n/, 'no "(misheard)" when only case and punctuation differ');
    assert.match(report, /agent {2}› Bye now!\n +latency: voice-to-voice \d+ ms \(endpointing \d+ ms, STT final -?\d+ ms, model first token \d+ ms, first audio \d+ ms\)/);
  });

  it('fails an answer over its latency budget at the turn, with every stage measured', async () => {
    const s = scenario({
      caller: { turns: [{ say: 'Hello.' }] },
      model: { script: [{ text: 'Hi!' }] },
      // Endpointing alone waits minEndpointingDelayMs (500 ms): a 100 ms budget cannot be kept.
      expect: { latency: { endpointingMs: 100 } },
    });
    const r = await runScenario(s, { agent, knowledge, models: noModels, env: {}, voice: speech(['hello']) });
    assert.equal(r.status, 'failed');
    assert.equal(r.failures.length, 1);
    const [f] = r.failures;
    assert.equal(f.turn, 1);
    assert.equal(f.field, 'expect.latency.endpointingMs');
    assert.match(f.message, /^turn 1: endpointingMs was \d+ ms, over the budget of 100 ms: voice-to-voice \d+ ms \(endpointing \d+ ms/);
    const passed = formatOutcome({ name: 'x', file: 'x', runs: [{ ...r, status: 'passed', failures: [] }] }, 1).join('\n');
    assert.match(passed, /turn 1: said "Hello\." · heard "hello" · voice-to-voice \d+ ms/, 'a passing voice run lists its turns');
  });

  it('fails the turn the agent never takes, saying what its ears heard', async () => {
    const s = scenario({ caller: { turns: [{ say: 'Hello there.' }, { say: 'Anyone?' }] }, model: { script: [] } });
    const r = await runScenario(s, { agent, knowledge, models: noModels, env: {}, voice: speech([], { takeTurnMs: 1500 }) });
    assert.deepEqual(
      r.failures.map((f) => [f.turn, f.field, f.message]),
      [[1, 'caller.turns.0', 'the agent never took caller turn 1 ("Hello there."): its speech-to-text (test:lines) heard nothing within 1.5 s of the caller stopping']],
    );
  });

  it('reports a line the agent took as two turns', async () => {
    const s = scenario({ caller: { turns: [{ say: 'I am Jane / from Acme.' }] }, model: { script: [{ text: 'Hi Jane.' }, { text: 'Acme, great.' }] } });
    const r = await runScenario(s, { agent, knowledge, models: noModels, env: {}, voice: speech(['i am jane', 'from acme']) });
    assert.deepEqual(
      r.transcript.filter((t) => t.role === 'caller').map((t) => [t.turn, t.text]),
      [
        [1, 'i am jane'],
        [1, 'from acme'],
      ],
    );
    assert.deepEqual(
      r.failures.map((f) => [f.turn, f.field, f.message]),
      [[1, 'caller.turns.0', 'the agent took this line as 2 turns (heard "i am jane", then "from acme"): a pause inside it ended the turn early; say it as one sentence, or raise listen.turn.minEndpointingDelayMs']],
    );
  });

  it('speaks the lines a caller model writes, and the model reads what the agent heard', async () => {
    const callerModel = await startFakeOpenAI();
    try {
      callerModel.push({ text: 'What does the audit cost?' }, (r) => {
        assert.equal(r.messages.at(-2)?.content, 'what does the audit cost', 'its own turn, as the agent heard it');
        return { text: 'Thanks. [END]' };
      });
      const s = scenario({ caller: { simulate: { persona: 'a founder', goal: 'the audit price', maxTurns: 3 } }, model: { script: [{ text: '2,400 euros.' }, { text: 'Welcome!' }] }, expect: { says: '2,400' } });
      const models = { ...noModels, caller: async () => resolveModel({ spec: 'openai-compatible:caller', baseURL: callerModel.url }, {}) };
      const r = await runScenario(s, { agent, knowledge, models, env: {}, voice: speech(['what does the audit cost', 'thanks']) });
      assert.deepEqual(r.failures, []);
      assert.deepEqual(r.transcript.filter((t) => t.role === 'caller').map((t) => [t.turn, t.said, t.text]), [[1, 'What does the audit cost?', 'what does the audit cost'], [2, 'Thanks.', 'thanks']]);
    } finally {
      await callerModel.close();
    }
  });
});

describe('CallerLine', () => {
  it('sends silence in 20 ms frames, speech when asked, and ends when the caller hangs up', async () => {
    const line = new CallerLine();
    const speech = new Int16Array(800).fill(7); // 50 ms: two full frames and a half one
    const frames: Int16Array[] = [];
    let spoken = false;
    for await (const frame of line.audio()) {
      frames.push(frame);
      if (frames.length === 2) void line.say(speech).then(() => (spoken = true));
      if (frames.length === 6) line.hangUp();
    }
    assert.deepEqual(frames.map((f) => [f.length, f[0]]), [[320, 0], [320, 0], [320, 7], [320, 7], [160, 7], [320, 0]]);
    assert.ok(spoken, 'say() resolved once its last frame went out');
  });

  it('counts agent audio as heard the moment it is queued, and wakes waiters on events', async () => {
    const line = new CallerLine({ outputSampleRate: 24000 });
    line.play(new Int16Array(2400));
    assert.equal(line.heardMs(), 100);
    const ac = new AbortController();
    const waiting = line.until(() => line.events.some((e) => e.type === 'end'), 5000, ac.signal);
    line.send({ type: 'state', state: 'speaking' });
    line.send({ type: 'end', reason: 'agent ended' });
    assert.equal(await waiting, true);
    assert.equal(await line.until(() => false, 10, ac.signal), false, 'false after the timeout');
  });
});
