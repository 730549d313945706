import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runParley, tempDir } from '../helpers/cli.ts';

// The first hour's dead ends: agents whose file has the right shape but which fail when they run.
// `parley check` must stop each of them, pointing at the line, and suggest the fix.

function agent(body: string): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'knowledge'));
  writeFileSync(join(dir, 'agent.yaml'), `persona:\n  prompt: You help.\n  firstMessage: Hi.\n${body}`);
  return dir;
}

async function check(body: string, env: NodeJS.ProcessEnv = {}) {
  const dir = agent(body);
  const r = await runParley(['check', dir], { env });
  return { ...r, dir, lines: r.stderr.trim().split('\n') };
}

describe('parley check catches agents that would fail', () => {
  it('a model without a provider, with the provider it most likely means', async () => {
    const r = await check('brain:\n  llm: gpt-4o\n');
    assert.equal(r.code, 1);
    assert.equal(r.lines[0], `${r.dir}/agent.yaml:5:8 brain.llm: model "gpt-4o" must look like provider:model, e.g. openai:gpt-4.1-mini or local:default; did you mean "openai:gpt-4o"?`);
  });

  it('an unknown provider, with the closest known one', async () => {
    const r = await check('brain:\n  llm: opnai:gpt-4.1-mini\n  fallback: [antropic:claude-haiku-4-5]\n');
    assert.equal(r.code, 1);
    assert.match(r.lines[0]!, /agent\.yaml:5:8 brain\.llm: unknown model provider "opnai" in "opnai:gpt-4\.1-mini"; did you mean "openai"\?/);
    assert.match(r.lines[1]!, /agent\.yaml:6:14 brain\.fallback\.0: unknown model provider "antropic".*did you mean "anthropic"\?/);
  });

  it('a voice engine without its provider is answered with voices, not recognisers', async () => {
    const r = await check('voice:\n  tts: flite\n');
    assert.equal(r.code, 1);
    assert.match(r.lines[0]!, /agent\.yaml:5:8 voice\.tts: "flite" is not provider:model \(e\.g\. elevenlabs:eleven_flash_v2_5, local:flite, local:best, sherpa:[^)]*\); did you mean "local:flite"\?/);
    assert.doesNotMatch(r.stderr, /pocketsphinx|deepgram/);
  });

  it('a recogniser named as a voice, and a voice named as a recogniser', async () => {
    const r = await check('voice:\n  tts: local:pocketsphinx\nlisten:\n  stt: local:flite\n');
    assert.equal(r.code, 1);
    assert.match(r.lines[0]!, /voice\.tts: unknown local voice engine "pocketsphinx".*a recogniser, for listen\.stt.*use local:flite/);
    assert.match(r.lines[1]!, /listen\.stt: unknown local recogniser "flite".*a voice, for voice\.tts.*use local:pocketsphinx/);
  });

  it('a knowledge source folder that does not exist', async () => {
    const r = await check('knowledge:\n  sources: [knowledge/, docs/, https://example.com/pricing]\n');
    assert.equal(r.code, 1);
    assert.deepEqual(r.lines, [`${r.dir}/agent.yaml:5:25 knowledge.sources.1: not found: docs/ (relative to the agent folder); create it, or remove it from knowledge.sources`, '1 problem found']);
  });

  it('an event webhook without a secret is a warning naming it, not an error; with one, no warning', async () => {
    const unsigned = await check('brain:\n  llm: local:default\nevents:\n  webhooks:\n    - url: https://hook.eu1.make.com/abc\n');
    assert.equal(unsigned.code, 0, unsigned.stderr);
    assert.match(unsigned.stdout, /warning: events\.webhooks\.0 \(https:\/\/hook\.eu1\.make\.com\/abc\) has no secret: its deliveries go unsigned, so the receiver cannot verify they came from Parley/);
    const signed = await check('brain:\n  llm: local:default\nevents:\n  webhooks:\n    - url: https://hook.eu1.make.com/abc\n      secret: ${HOOK_SECRET}\n', { HOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
    assert.equal(signed.code, 0, signed.stderr);
    assert.doesNotMatch(signed.stdout, /warning/);
  });

  it('a transfer tool: destinations must be real E.164 numbers with HH:MM hours; without a phone channel it warns', async () => {
    const bad = await check('tools:\n  - end_call\n  - type: transfer\n    destinations:\n      - { label: sales, number: "415-555-0123", hours: { mon: ["9-17"] } }\n      - { label: billing, number: "+99912345678" }\n');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /tools\.1\.destinations\.0\.number: use E\.164, e\.g\. \+14155550123/);
    assert.match(bad.stderr, /tools\.1\.destinations\.0\.hours\.mon\.0: use HH:MM-HH:MM/);
    const invalid = await check('brain:\n  llm: local:default\ntools:\n  - type: transfer\n    destinations:\n      - { label: billing, number: "+99912345678" }\n');
    assert.equal(invalid.code, 1);
    assert.match(invalid.lines[0]!, /agent\.yaml:\d+:\d+ tools\.0\.destinations\.0\.number: \+99912345678 is not a valid phone number/);
    const ok = await check('brain:\n  llm: local:default\ntools:\n  - type: transfer\n    mode: cold\n    destinations:\n      - { label: sales, number: "+14155550123", hours: { mon: ["09:00-17:00"] } }\n  - press_keys\n');
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /warning: the transfer tool works only on phone calls and this agent has no channels\.phone\.number/);
    assert.match(ok.stdout, /warning: the press_keys tool works only on phone calls/);
  });

  it('a transfer tool\'s offer: booking needs a calendar, callBack a phone field; offer and callBack are not both given', async () => {
    const transfer = (extra: string) => `brain:\n  llm: local:default\ntools:\n  - type: transfer\n    number: "+14155550123"\n${extra}`;
    const bad = await check(transfer('    offer: [callBack, booking, message]\n'));
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /agent\.yaml:\d+:\d+ tools\.0\.offer\.0: callBack needs a phone field in collect/);
    assert.match(bad.stderr, /agent\.yaml:\d+:\d+ tools\.0\.offer\.1: booking needs a calendar \(add calendar:, or remove booking from offer\)/);
    assert.doesNotMatch(bad.stderr, /offer\.2/, 'a message can always be taken');
    const both = await check(transfer('    callBack: false\n    offer: [booking]\ncalendar: { provider: builtin }\n'));
    assert.equal(both.code, 1);
    assert.match(both.stderr, /tools\.0\.callBack: give offer \(which lists callBack or not\) or callBack, not both/);
    const twice = await check(transfer('    offer: [message, message]\n'));
    assert.match(twice.stderr, /tools\.0\.offer: list each offer once/);
    const ok = await check(transfer('    offer: [booking, callBack]\ncalendar: { provider: builtin }\ncollect: [name, mobile]\n'));
    assert.equal(ok.code, 0, ok.stderr);
  });

  it('an unknown key, with the closest known one', async () => {
    const r = await check('brain:\n  llm: local:default\n  temprature: 0.2\nvoice:\n  voice_id: amy\n');
    assert.equal(r.code, 1);
    assert.match(r.lines[0]!, /agent\.yaml:6:3 brain\.temprature: unknown field "temprature"; did you mean "temperature"\?/);
    assert.match(r.lines[1]!, /agent\.yaml:8:3 voice\.voice_id: unknown field "voice_id"; did you mean "voiceId"\?/);
  });

  it('a local model that is not in the catalogue, or a model file that is not there', async () => {
    const r = await check('brain:\n  llm: local:defualt\n  fallback: [local:/nowhere/m.gguf]\n');
    assert.equal(r.code, 1);
    assert.match(r.lines[0]!, /brain\.llm: unknown local model "defualt"; did you mean "default"\?; use local:default or local:\/path\/to\/model\.gguf/);
    assert.match(r.lines[1]!, /brain\.fallback\.0: model file not found: \/nowhere\/m\.gguf/);
  });

  it('reports every problem at once', async () => {
    const r = await check('brain:\n  llm: gpt-4o\nvoice:\n  tts: flite\nknowledge:\n  sources: [missing/]\n');
    assert.equal(r.code, 1);
    assert.equal(r.lines.at(-1), '3 problems found');
  });
});

describe('parley check on environments', () => {
  it('passes a local agent and warns, without failing, about keys the agent needs', async () => {
    const ok = await check('brain:\n  llm: local:default\n');
    assert.equal(ok.code, 0, ok.stderr);
    assert.doesNotMatch(ok.stdout, /warning/);

    const r = await check('brain:\n  llm: openai:gpt-4.1-mini\nvoice:\n  tts: elevenlabs:eleven_flash_v2_5\n');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /warning: not set in this environment: OPENAI_API_KEY \(brain\.llm openai:gpt-4\.1-mini\), ELEVENLABS_API_KEY \(voice\.tts elevenlabs:eleven_flash_v2_5\)/);

    const set = await check('brain:\n  llm: openai:gpt-4.1-mini\n', { OPENAI_API_KEY: 'sk-test' });
    assert.doesNotMatch(set.stdout, /warning/);
  });

  it('says plainly which unset variables keep the server from loading the agent, and still exits 0', async () => {
    const r = await check('brain:\n  llm: openai:gpt-4.1-mini\nlimits:\n  dailyBudget: { amount: 100, currency: PLN, usdPerUnit: "${USD_PER_PLN}" }\n');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[1], 'warning: the server will not load this agent until this is set: USD_PER_PLN (limits.dailyBudget.usdPerUnit)');
    assert.equal(lines[2], 'warning: not set in this environment: OPENAI_API_KEY (brain.llm openai:gpt-4.1-mini)');
    const set = await check('brain:\n  llm: openai:gpt-4.1-mini\nlimits:\n  dailyBudget: { amount: 100, currency: PLN, usdPerUnit: "${USD_PER_PLN}" }\n', { USD_PER_PLN: '0.25', OPENAI_API_KEY: 'sk' });
    assert.doesNotMatch(set.stdout, /warning/);
  });

  it('takes ${NAME} for channels.phone.number, checking it as E.164 when the variable is set', async () => {
    const yaml = 'brain:\n  llm: local:default\nchannels:\n  phone: { number: "${SUPPORT_NUMBER}" }\n';
    const keys = { TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 'tok' };
    const unset = await check(yaml, keys);
    assert.equal(unset.code, 0, unset.stderr);
    assert.match(unset.stdout, /warning: not set in this environment: SUPPORT_NUMBER \(a \$\{SUPPORT_NUMBER\} in agent\.yaml\)/);
    // The Twilio variables are implied by channels.phone (its accountSid/authToken defaults), not written in the file.
    const noKeys = await check(yaml, { SUPPORT_NUMBER: '+442079460100' });
    assert.match(noKeys.stdout, /TWILIO_ACCOUNT_SID \(needed by channels\.phone\), TWILIO_AUTH_TOKEN \(needed by channels\.phone\)/);
    assert.doesNotMatch(noKeys.stdout, /TWILIO_ACCOUNT_SID \(a \$\{/);
    assert.equal((await check(yaml, { ...keys, SUPPORT_NUMBER: '+442079460100' })).code, 0);
    const bad = await check(yaml, { ...keys, SUPPORT_NUMBER: '020 7946 0100' });
    assert.equal(bad.code, 1);
    assert.match(bad.lines[0]!, /agent\.yaml:\d+:\d+ channels\.phone\.number: \$\{SUPPORT_NUMBER\} holds "020 7946 0100", not an E\.164 phone number/);
  });

  it('refuses ${NAME} in knowledge.sources, saying why', async () => {
    const r = await check('brain:\n  llm: local:default\nknowledge:\n  sources: [knowledge/, "${STATUS_URL}"]\n', { STATUS_URL: 'https://status.example.com/' });
    assert.equal(r.code, 1);
    assert.match(r.lines[0]!, /knowledge\.sources\.1: knowledge sources take no \$\{NAME\}/);
  });

  it('counts the tools the model gets, as parley tools lists them', async () => {
    const r = await check('brain:\n  llm: local:default\ncollect: [name, email]\ncalendar: { provider: builtin }\ntools: [end_call, save_lead]\n');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /, 5 tools \(search_knowledge, end_call, save_lead, check_availability, book_call\), model local:default/);
  });

  it('warns about a voice name written for a voice id, naming the id, and passes a cloned-looking id', async () => {
    const r = await check('brain:\n  llm: local:default\nvoice:\n  tts: elevenlabs:eleven_flash_v2_5\n  voiceId: George\n  fallback: [{ tts: openai:tts-1, voiceId: marin }]\n', { ELEVENLABS_API_KEY: 'x', OPENAI_API_KEY: 'y' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /warning: voice\.voiceId: "George" is not a voice id: an ElevenLabs voice id is 20 letters and digits; did you mean JBFqnCBsd6RMkjVDRZzb \(George\)\?/);
    assert.match(r.stdout, /warning: voice\.fallback\.0\.voiceId: OpenAI's tts-1 has no voice "marin"/);
    const ok = await check('brain:\n  llm: local:default\nvoice:\n  tts: elevenlabs:eleven_flash_v2_5\n  voiceId: aB3dE5gH7jK9mN1pQ3sT\n', { ELEVENLABS_API_KEY: 'x' });
    assert.doesNotMatch(ok.stdout, /warning/);
  });

  it('warns about the keys of embeddings, the analysis model and fallback voices too', async () => {
    const r = await check('brain:\n  llm: local:default\nknowledge:\n  embeddings: { model: openai:text-embedding-3-small }\nvoice:\n  tts: local:flite\n  fallback: [{ tts: cartesia:sonic-2 }]\nanalysis:\n  model: anthropic:claude-haiku-4-5\n');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /warning: not set in this environment: OPENAI_API_KEY \(knowledge\.embeddings\.model openai:text-embedding-3-small\), ANTHROPIC_API_KEY \(analysis\.model anthropic:claude-haiku-4-5\), CARTESIA_API_KEY \(voice\.fallback\.0\.tts cartesia:sonic-2\)/);
  });
});

describe('parley check: the recogniser and persona.language', () => {
  it('warns that local:pocketsphinx is US English only for an en-GB agent, and passes', async () => {
    const gb = agent('  language: en-GB\nlisten:\n  stt: local:pocketsphinx\n');
    const r = await runParley(['check', gb], { env: {} });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /warning: listen\.stt: local:pocketsphinx is US English only \(pocketsphinx-en-us\): en-GB callers are heard by a US English model/);
  });

  it('says nothing when Deepgram can hear en-GB', async () => {
    const r = await runParley(['check', agent('  language: en-GB\nlisten:\n  stt: deepgram:nova-3\n')], { env: { DEEPGRAM_API_KEY: 'dg' } });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /listen\.stt/);
  });
});
