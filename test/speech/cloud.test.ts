import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createEnergyVad } from '../../src/audio/energy-vad.ts';
import { parseSpeechSpec, sttFor, ttsFor } from '../../src/speech/registry.ts';
import { DeepgramStt } from '../../src/speech/stt/deepgram.ts';
import { OpenAIStt } from '../../src/speech/stt/openai.ts';
import { CARTESIA_VERSION, CartesiaTts, cartesiaVoices } from '../../src/speech/tts/cartesia.ts';
import { ElevenLabsTts, cloneElevenLabsVoice, elevenLabsVoices } from '../../src/speech/tts/elevenlabs.ts';
import { OpenAITts } from '../../src/speech/tts/openai.ts';
import { SpeechUnavailableError, type SttEvent, type SttStream, type TextToSpeech } from '../../src/speech/types.ts';
import {
  FAKE_CARTESIA_VOICES,
  startFakeCartesia,
  startFakeDeepgram,
  startFakeElevenLabs,
  startFakeOpenAIAudio,
  type FakeCartesia,
  type FakeDeepgram,
  type FakeElevenLabs,
  type FakeOpenAIAudio,
} from '../../src/testing/index.ts';
import { tempDir } from '../helpers/cli.ts';
import { sttContract } from './stt-contract.ts';
import { ttsContract } from './tts-contract.ts';

// Each cloud provider against its protocol-faithful fake: first the shared SpeechToText /
// TextToSpeech contracts (streaming, first audio before the text has ended, abort, cleanup, empty
// input), then what is particular to each vendor: the wire format as documented (auth, URL, query,
// messages), its own abort messages, and its errors (401, 429) as errors that say what to do.

const ms100 = () => new Int16Array(1600); // 100 ms at 16 kHz
const voice = { speed: 1 };

const kit = {
  deepgram: await startFakeDeepgram({ apiKey: 'dg-kit', utterances: [{ text: 'Book an intro call for tomorrow.', endMs: 1400 }] }),
  openai: await startFakeOpenAIAudio({ apiKey: 'sk-kit', fallback: 'Book an intro call for tomorrow.' }),
  elevenlabs: await startFakeElevenLabs({ apiKey: 'xi-kit' }),
  cartesia: await startFakeCartesia({ apiKey: 'ca-kit' }),
};
after(() => Promise.all(Object.values(kit).map((f) => f.close())));
/** `ms` of a loud tone at 16 kHz. */
const toneMs = (ms: number) => Int16Array.from({ length: ms * 16 }, (_, i) => Math.round(4000 * Math.sin(i / 8)));
/** 1.6 s of tone: the fakes decide what was "said", the contract checks the words come back. */
const utterance = () => ({ pcm: toneMs(1600), sampleRate: 16000, words: ['book', 'intro', 'call', 'tomorrow'] });

sttContract('deepgram:nova-3 (fake)', () => new DeepgramStt({ model: 'nova-3', apiKey: 'dg-kit', baseURL: kit.deepgram.url }), { utterance });
// Tone is not speech to Silero, so this run cuts utterances with the energy detector.
sttContract('openai:gpt-4o-mini-transcribe (fake)', () => new OpenAIStt({ model: 'gpt-4o-mini-transcribe', apiKey: 'sk-kit', baseURL: kit.openai.url, vad: () => createEnergyVad({ minSilenceMs: 500 }) }), { utterance });
ttsContract('elevenlabs:eleven_flash_v2_5 (fake)', () => new ElevenLabsTts({ model: 'eleven_flash_v2_5', apiKey: 'xi-kit', baseURL: kit.elevenlabs.url }));
ttsContract('elevenlabs:eleven_flash_v2_5 at 24 kHz (fake)', () => new ElevenLabsTts({ model: 'eleven_flash_v2_5', apiKey: 'xi-kit', baseURL: kit.elevenlabs.url, sampleRate: 24000 }));
ttsContract('openai:gpt-4o-mini-tts (fake)', () => new OpenAITts({ model: 'gpt-4o-mini-tts', apiKey: 'sk-kit', baseURL: kit.openai.url }));
ttsContract('cartesia:sonic-2 (fake)', () => new CartesiaTts({ model: 'sonic-2', apiKey: 'ca-kit', baseURL: kit.cartesia.url }));

async function* textOf(...pieces: string[]) {
  yield* pieces;
}

async function collect(tts: TextToSpeech, text: AsyncIterable<string>, signal = new AbortController().signal, v: { voiceId?: string; speed: number; language?: string } = voice) {
  let samples = 0;
  let chunks = 0;
  for await (const pcm of tts.speak(text, { voice: v, signal })) {
    samples += pcm.length;
    chunks++;
  }
  return { samples, chunks };
}

async function events(stream: SttStream): Promise<SttEvent[]> {
  const out: SttEvent[] = [];
  for await (const e of stream) out.push(e);
  return out;
}

const until = async (cond: () => boolean, what: string, ms = 2000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) assert.fail(`timed out waiting for ${what}`);
    await sleep(5);
  }
};

describe('deepgram:nova-3 (live WebSocket) against the fake', () => {
  let fake: FakeDeepgram;
  const KEY = 'dg-secret-4f1c';
  before(async () => {
    fake = await startFakeDeepgram({ apiKey: KEY, utterances: [{ text: 'Hello, I would like a demo.', endMs: 800, interimMs: 300 }] });
  });
  after(() => fake.close());
  const stt = (o: Partial<ConstructorParameters<typeof DeepgramStt>[0]> = {}) => new DeepgramStt({ model: 'nova-3', apiKey: KEY, baseURL: fake.url, ...o });

  it('authenticates with the Token header and asks for exactly the documented query', async () => {
    const s = stt().stream({ language: 'en-US', signal: new AbortController().signal });
    s.push(ms100());
    s.end();
    await events(s);
    const c = fake.connections.at(-1)!;
    assert.equal(c.path, '/v1/listen');
    assert.equal(c.headers.authorization, `Token ${KEY}`);
    assert.equal(c.auth, 'header');
    assert.deepEqual(c.query, {
      model: 'nova-3',
      encoding: 'linear16',
      sample_rate: '16000',
      channels: '1',
      interim_results: 'true',
      endpointing: '300',
      utterance_end_ms: '1000',
      smart_format: 'true',
      language: 'en-US',
    });
    assert.deepEqual(c.controls, ['{"type":"CloseStream"}']);
  });

  it('takes its endpointing from the agent\'s listen.turn when built for an agent', async () => {
    const s = sttFor('deepgram:nova-3', { env: { DEEPGRAM_API_KEY: KEY, DEEPGRAM_BASE_URL: fake.url }, turn: { minEndpointingDelayMs: 200, maxEndpointingDelayMs: 2500 } }).stream({ language: 'en', signal: new AbortController().signal });
    s.push(ms100());
    s.end();
    await events(s);
    const q = fake.connections.at(-1)!.query;
    assert.equal(q.endpointing, '200');
    assert.equal(q.utterance_end_ms, '2500');
  });

  it('streams interim words while audio is still coming, then the final text', async () => {
    const s = stt().stream({ language: 'en', signal: new AbortController().signal });
    const seen: SttEvent[] = [];
    const reading = (async () => {
      for await (const e of s) seen.push(e);
    })();
    for (let i = 0; i < 4; i++) s.push(ms100());
    await until(() => seen.some((e) => e.type === 'partial'), 'an interim result');
    assert.ok(!seen.some((e) => e.type === 'final'), 'no final before the speaker stopped');
    for (let i = 0; i < 6; i++) s.push(ms100());
    s.end();
    await reading;
    assert.deepEqual(seen.map((e) => e.type), ['partial', 'final']);
    assert.equal(seen[1].text, 'Hello, I would like a demo.');
    assert.equal(seen[1].confidence, 0.98);
    assert.ok(seen[0].atMs <= seen[1].atMs && seen[1].atMs >= 800, `atMs is the stream's audio clock: ${seen.map((e) => e.atMs)}`);
    assert.equal(fake.connections.at(-1)!.audioBytes, 10 * 1600 * 2, 'audio pushed before the socket opened is not lost');
  });

  it('CloseStream flushes words heard only in part', async () => {
    const s = stt().stream({ language: 'en', signal: new AbortController().signal });
    for (let i = 0; i < 5; i++) s.push(ms100());
    s.end();
    const got = await events(s);
    assert.deepEqual(got.map((e) => [e.type, e.text]), [['partial', 'Hello, I would'], ['final', 'Hello, I would like a demo.']]);
    const sent = fake.connections.at(-1)!.sent;
    assert.equal(sent.at(-1)!.type, 'Metadata');
  });

  it('sends KeepAlive as a text frame while no audio flows', async () => {
    const ac = new AbortController();
    const s = stt({ keepAliveMs: 30 }).stream({ language: 'en', signal: ac.signal });
    s.push(ms100());
    await until(() => (fake.connections.at(-1)?.controls ?? []).includes('{"type":"KeepAlive"}'), 'a KeepAlive');
    s.end();
    await events(s);
  });

  it('abort closes the socket and ends the events quietly', async () => {
    const ac = new AbortController();
    const n = fake.connections.length;
    const s = stt().stream({ language: 'en', signal: ac.signal });
    s.push(ms100());
    await until(() => fake.connections[n]?.audioBytes === 3200, 'audio at the fake');
    const conn = fake.connections[n];
    ac.abort();
    assert.deepEqual(await events(s), []);
    await until(() => conn.closed, 'the socket to close');
    assert.ok(!conn.controls.includes('{"type":"CloseStream"}'), 'an aborted stream is dropped, not flushed');
  });

  it('a refused key is an error naming DEEPGRAM_API_KEY; 429 says it is a rate limit', async () => {
    const bad = stt({ apiKey: 'wrong' }).stream({ language: 'en', signal: new AbortController().signal });
    bad.push(ms100());
    await assert.rejects(events(bad), /HTTP 401 Invalid credentials.*DEEPGRAM_API_KEY/);
    fake.refuseNext(429);
    const limited = stt().stream({ language: 'en', signal: new AbortController().signal });
    await assert.rejects(events(limited), /HTTP 429 .*rate limited/);
  });

  it('a server-side close mid-stream surfaces as an error with Deepgram\'s reason', async () => {
    const n = fake.connections.length;
    const s = stt().stream({ language: 'en', signal: new AbortController().signal });
    s.push(ms100());
    await until(() => fake.connections[n]?.audioBytes === 3200, 'audio at the fake');
    fake.dropAll(1011, 'NET-0001');
    await assert.rejects(events(s), /1011 NET-0001/);
  });
});

describe('openai:gpt-4o-mini-transcribe (an utterance per request) against the fake', () => {
  let fake: FakeOpenAIAudio;
  const KEY = 'sk-test-7d2e9a41';
  before(async () => {
    fake = await startFakeOpenAIAudio({ apiKey: KEY });
  });
  after(() => fake.close());
  // The energy detector: tone is "speech" to it, so the test controls where utterances are.
  const stt = (apiKey = KEY) => new OpenAIStt({ model: 'gpt-4o-mini-transcribe', apiKey, baseURL: fake.url, vad: () => createEnergyVad({ minSilenceMs: 500 }) });
  const loud = (ms: number) => toneMs(ms);
  const quiet = (ms: number) => new Int16Array(ms * 16);

  it('sends an utterance as one multipart request with a 16 kHz WAV and answers with one final', async () => {
    fake.push('Can I book a call for Tuesday?');
    const s = stt().stream({ language: 'en-GB', signal: new AbortController().signal });
    s.push(loud(1200));
    assert.equal(fake.transcriptions.length, 0, 'nothing is sent while the caller speaks');
    s.end();
    assert.deepEqual(await events(s), [{ type: 'final', text: 'Can I book a call for Tuesday?', atMs: 1200 }]);
    const r = fake.transcriptions.at(-1)!;
    assert.equal(r.headers.authorization, `Bearer ${KEY}`);
    assert.match(String(r.headers['content-type']), /^multipart\/form-data; boundary=/);
    assert.deepEqual(r.fields, { model: 'gpt-4o-mini-transcribe', language: 'en', response_format: 'json' });
    assert.deepEqual({ ...r.file, bytes: undefined }, { filename: 'utterance.wav', contentType: 'audio/wav', bytes: undefined, channels: 1, sampleRate: 16000, bitsPerSample: 16, samples: 19200 });
  });

  it('cuts the open stream into utterances at pauses, one request and one final each, in order', async () => {
    fake.push('Hi, this is Jane.', 'I run a bakery.');
    const start = fake.transcriptions.length;
    const s = stt().stream({ language: 'en', signal: new AbortController().signal });
    const seen: SttEvent[] = [];
    const reading = (async () => {
      for await (const e of s) seen.push(e);
    })();
    s.push(quiet(2000)); // silence before anyone speaks is not sent
    s.push(loud(800));
    s.push(quiet(700));
    await until(() => seen.length === 1, 'the first final, before end()');
    s.push(loud(600));
    s.push(quiet(700));
    await until(() => seen.length === 2, 'the second final');
    s.end();
    await reading;
    assert.deepEqual(seen.map((e) => e.text), ['Hi, this is Jane.', 'I run a bakery.']);
    const sent = fake.transcriptions.slice(start).map((r) => r.file!.samples! / 16);
    assert.equal(sent.length, 2);
    // Each utterance: its speech, up to 500 ms of pre-roll, and the pause that ended it.
    assert.ok(sent[0] >= 800 + 500 && sent[0] <= 800 + 500 + 700, `first utterance ${sent[0]} ms`);
    assert.ok(sent[1] >= 600 + 500 && sent[1] <= 600 + 500 + 700, `second utterance ${sent[1]} ms`);
  });

  it('no speech, or an abort before the pause, sends nothing', async () => {
    const before = fake.transcriptions.length;
    const empty = stt().stream({ language: 'en', signal: new AbortController().signal });
    empty.push(quiet(3000));
    empty.end();
    assert.deepEqual(await events(empty), []);
    const ac = new AbortController();
    const dropped = stt().stream({ language: 'en', signal: ac.signal });
    dropped.push(loud(500));
    ac.abort();
    assert.deepEqual(await events(dropped), []);
    assert.equal(fake.transcriptions.length, before);
  });

  it('401 names OPENAI_API_KEY; 429 says rate limit', async () => {
    const bad = stt('sk-wrong-000000000').stream({ language: 'en', signal: new AbortController().signal });
    bad.push(loud(500));
    bad.end();
    await assert.rejects(events(bad), /HTTP 401 Incorrect API key provided.*OPENAI_API_KEY/);
    fake.push({ error: { status: 429, message: 'Rate limit reached for requests' } });
    const limited = stt().stream({ language: 'en', signal: new AbortController().signal });
    limited.push(loud(500));
    limited.end();
    await assert.rejects(events(limited), /HTTP 429 Rate limit reached.*rate limited/);
  });
});

describe('openai:gpt-4o-mini-tts (a request per clause, PCM streamed) against the fake', () => {
  let fake: FakeOpenAIAudio;
  const KEY = 'sk-test-7d2e9a41';
  before(async () => {
    fake = await startFakeOpenAIAudio({ apiKey: KEY, chunkDelayMs: 2, samplesPerChar: 600 });
  });
  after(() => fake.close());
  const tts = (apiKey = KEY) => new OpenAITts({ model: 'gpt-4o-mini-tts', apiKey, baseURL: fake.url });

  it('asks for headerless PCM with the documented body, one request per clause, and decodes every sample', async () => {
    const start = fake.speech.length;
    const r = await collect(tts(), textOf('Thanks for calling,', ' we', ' can help.', ' Bye'), undefined, { voiceId: 'coral', speed: 1.1 });
    const sent = fake.speech.slice(start);
    assert.deepEqual(sent.map((s) => s.body), [
      { model: 'gpt-4o-mini-tts', input: 'Thanks for calling,', voice: 'coral', response_format: 'pcm', speed: 1.1 },
      { model: 'gpt-4o-mini-tts', input: 'we can help.', voice: 'coral', response_format: 'pcm', speed: 1.1 },
      { model: 'gpt-4o-mini-tts', input: 'Bye', voice: 'coral', response_format: 'pcm', speed: 1.1 },
    ]);
    assert.equal(sent[0].headers.authorization, `Bearer ${KEY}`);
    assert.equal(tts().sampleRate, 24000);
    // The fake splits its stream on odd byte counts: every sample must still come out whole.
    assert.equal(r.samples, ('Thanks for calling,'.length + 'we can help.'.length + 'Bye'.length) * 600);
  });

  it('abort stops the audio and the request', async () => {
    const ac = new AbortController();
    let chunks = 0;
    for await (const _ of tts().speak(textOf('A long answer that goes on and on for quite a while.', ' And more.'), { voice, signal: ac.signal })) {
      chunks++;
      ac.abort();
    }
    assert.equal(chunks, 1);
  });

  it('401 names OPENAI_API_KEY; 429 says rate limit', async () => {
    await assert.rejects(collect(tts('sk-wrong-000000000'), textOf('Hi.')), /HTTP 401.*OPENAI_API_KEY/);
    fake.failNextSpeech({ status: 429, message: 'Rate limit reached for requests' });
    await assert.rejects(collect(tts(), textOf('Hi.')), /HTTP 429.*rate limited/);
  });
});

describe('elevenlabs:eleven_flash_v2_5 (stream-input WebSocket) against the fake', () => {
  let fake: FakeElevenLabs;
  const KEY = 'xi-secret-9b3f';
  before(async () => {
    fake = await startFakeElevenLabs({ apiKey: KEY, generationDelayMs: 2, samplesPerChar: 400 });
  });
  after(() => fake.close());
  const tts = (o: Partial<ConstructorParameters<typeof ElevenLabsTts>[0]> = {}) => new ElevenLabsTts({ model: 'eleven_flash_v2_5', apiKey: KEY, baseURL: fake.url, ...o });

  it('opens the documented URL with the xi-api-key header and sends " ", the text, then ""', async () => {
    const r = await collect(tts(), textOf('Hi Jane,', ' our audit', ' costs 2,400 euros.'), undefined, { voiceId: '21m00Tcm4TlvDq8ikWAM', speed: 1.5 });
    const s = fake.streams.at(-1)!;
    assert.equal(s.voiceId, '21m00Tcm4TlvDq8ikWAM');
    assert.deepEqual(s.query, { model_id: 'eleven_flash_v2_5', output_format: 'pcm_16000' });
    assert.equal(s.headers['xi-api-key'], KEY);
    assert.deepEqual(s.received, [
      { text: ' ', voice_settings: { stability: 0.5, similarity_boost: 0.75, speed: 1.2 } }, // speed clamped to the documented 0.7–1.2
      { text: 'Hi Jane, ', flush: true },
      { text: ' our audit' },
      { text: ' costs 2,400 euros. ', flush: true },
      { text: '' },
    ]);
    assert.ok(!JSON.stringify(s.received).includes(KEY), 'the key travels in the header, not in messages');
    assert.equal(r.samples, ('Hi Jane, '.length + ' our audit costs 2,400 euros. '.length) * 400);
  });

  it('takes raw tokens: flushes the first clause early, then only sentence ends', async () => {
    assert.equal(tts().streamingInput, true);
    await collect(tts(), textOf('Hello', ',', ' how', ' are', ' you', '?', ' Fine', ',', ' thanks', '.'));
    const sent = fake.streams.at(-1)!.received.slice(1);
    assert.deepEqual(sent.filter((m) => m.flush).map((m) => m.text), [', ', '? ', '. ']);
    assert.equal(sent.map((m) => m.text).join(''), 'Hello,  how are you?  Fine,  thanks. ');
  });

  it('24 kHz output asks for pcm_24000', async () => {
    const t = tts({ sampleRate: 24000 });
    assert.equal(t.sampleRate, 24000);
    const r = await collect(t, textOf('Yes.'));
    assert.equal(fake.streams.at(-1)!.query.output_format, 'pcm_24000');
    assert.equal(r.samples, 'Yes. '.length * 600);
  });

  it('abort closes the socket and drops queued audio', async () => {
    const ac = new AbortController();
    let chunks = 0;
    async function* slow() {
      yield 'One two three four.';
      await new Promise(() => {}); // the model never says more
      yield 'never sent';
    }
    for await (const _ of tts().speak(slow(), { voice, signal: ac.signal })) {
      chunks++;
      ac.abort();
    }
    assert.equal(chunks, 1);
    const s = fake.streams.at(-1)!;
    await until(() => s.closed, 'the socket to close');
    assert.ok(!s.received.some((m) => m.text === 'never sent'));
  });

  it('401 names ELEVENLABS_API_KEY; 429 says rate limit', async () => {
    await assert.rejects(collect(tts({ apiKey: 'wrong' }), textOf('Hi.')), /HTTP 401 Invalid API key.*ELEVENLABS_API_KEY/);
    fake.refuseNext(429);
    await assert.rejects(collect(tts(), textOf('Hi.')), /HTTP 429 .*rate limited/);
  });

  it('lists voices (premade = stock, with their accent and age labels) and clones one from files, multipart name + files', async () => {
    const voices = await elevenLabsVoices({ apiKey: KEY, baseURL: fake.url });
    assert.deepEqual(voices[0], { id: 'JBFqnCBsd6RMkjVDRZzb', name: 'George', gender: 'male', accent: 'british', age: 'middle-aged', kind: 'stock' });
    const dir = tempDir();
    const sample = join(dir, 'me.wav');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(sample, Buffer.alloc(4000, 7));
    const r = await cloneElevenLabsVoice({ apiKey: KEY, baseURL: fake.url, name: 'Ada', description: 'warm', files: [sample] });
    assert.match(r.voiceId, /^[\w-]{20}$/);
    assert.deepEqual(fake.clones.at(-1), { fields: { name: 'Ada', description: 'warm' }, files: [{ field: 'files', filename: 'me.wav', bytes: 4000, contentType: 'audio/wav' }] });
    const after = await elevenLabsVoices({ apiKey: KEY, baseURL: fake.url });
    assert.deepEqual(after.at(-1), { id: r.voiceId, name: 'Ada', kind: 'cloned' });
    await assert.rejects(elevenLabsVoices({ apiKey: 'wrong', baseURL: fake.url }), /HTTP 401 Invalid API key.*ELEVENLABS_API_KEY/);
  });
});

describe('cartesia:sonic-2 (TTS WebSocket with continuations) against the fake', () => {
  let fake: FakeCartesia;
  const KEY = 'sk_car_test_51e0';
  const many = Array.from({ length: 130 }, (_, i) => ({ ...FAKE_CARTESIA_VOICES[0], id: `voice-${String(i).padStart(3, '0')}`, name: `Voice ${i}`, is_owner: i === 129 }));
  before(async () => {
    fake = await startFakeCartesia({ apiKey: KEY, voices: many, chunkDelayMs: 2, samplesPerChar: 600 });
  });
  after(() => fake.close());
  const tts = (o: Partial<ConstructorParameters<typeof CartesiaTts>[0]> = {}) => new CartesiaTts({ model: 'sonic-2', apiKey: KEY, baseURL: fake.url, ...o });

  it('connects with api_key and cartesia_version, continues one context clause by clause, and ends it', async () => {
    const r = await collect(tts(), textOf('Hi Jane,', ' our audit', ' costs 2,400 euros.'), undefined, { voiceId: 'a0e99841-438c-4a64-b679-ae501e7d6091', speed: 1, language: 'en-US' });
    const c = fake.connections.at(-1)!;
    assert.deepEqual(c.query, { api_key: KEY, cartesia_version: CARTESIA_VERSION });
    const ctx = String(c.received[0].context_id);
    const common = {
      model_id: 'sonic-2',
      voice: { mode: 'id', id: 'a0e99841-438c-4a64-b679-ae501e7d6091' },
      language: 'en',
      context_id: ctx,
      output_format: { container: 'raw', encoding: 'pcm_s16le', sample_rate: 24000 },
      max_buffer_delay_ms: 0,
    };
    assert.deepEqual(c.received, [
      { ...common, transcript: 'Hi Jane, ', continue: true },
      { ...common, transcript: 'our audit costs 2,400 euros. ', continue: true },
      { ...common, transcript: '', continue: false },
    ]);
    assert.equal(r.samples, ('Hi Jane, '.length + 'our audit costs 2,400 euros. '.length) * 600);
  });

  it('takes raw tokens: gathers them into clauses, all on one context', async () => {
    assert.equal(tts().streamingInput, true);
    await collect(tts(), textOf('Sure', ',', ' I', ' can', ' help', '.', ' What', ' day', '?'));
    const c = fake.connections.at(-1)!;
    assert.deepEqual(c.received.map((m) => [m.transcript, m.continue]), [['Sure, ', true], ['I can help. ', true], ['What day? ', true], ['', false]]);
    assert.equal(new Set(c.received.map((m) => m.context_id)).size, 1);
  });

  it('nothing to say opens no context', async () => {
    const n = fake.connections.length;
    assert.deepEqual(await collect(tts(), textOf('', '  ')), { samples: 0, chunks: 0 });
    await until(() => fake.connections[n]?.closed === true, 'the socket to close');
    assert.deepEqual(fake.connections[n].received, []);
  });

  it('maps speed to the documented controls', async () => {
    await collect(tts(), textOf('Quick.'), undefined, { speed: 1.3 });
    assert.equal(fake.connections.at(-1)!.received[0].speed, 'fast');
    await collect(tts({ model: 'sonic-3' }), textOf('Quick.'), undefined, { speed: 1.3 });
    assert.deepEqual(fake.connections.at(-1)!.received[0].generation_config, { speed: 1.3 });
  });

  it('abort cancels the context and closes the socket', async () => {
    const ac = new AbortController();
    let chunks = 0;
    async function* slow() {
      yield 'One two three four.';
      await new Promise(() => {}); // the model never says more
      yield 'never sent';
    }
    for await (const _ of tts().speak(slow(), { voice, signal: ac.signal })) {
      chunks++;
      ac.abort();
    }
    assert.equal(chunks, 1);
    const c = fake.connections.at(-1)!;
    await until(() => c.closed, 'the socket to close');
    assert.deepEqual(c.cancelled, [String(c.received[0].context_id)]);
  });

  it('401 names CARTESIA_API_KEY; a 429 error message says rate limit; a bad model is reported', async () => {
    await assert.rejects(collect(tts({ apiKey: 'wrong' }), textOf('Hi.')), /HTTP 401 Invalid API key.*CARTESIA_API_KEY/);
    fake.failNextGeneration(429, 'Rate limit exceeded');
    await assert.rejects(collect(tts(), textOf('Hi.')), /Rate limit exceeded \(status 429\).*rate limited/);
    await assert.rejects(collect(tts({ model: 'sonic-nope' }), textOf('Hi.')), /Invalid model/);
  });

  it('lists voices across pages with the version header and Bearer key', async () => {
    const voices = await cartesiaVoices({ apiKey: KEY, baseURL: fake.url });
    assert.equal(voices.length, 130);
    assert.deepEqual(voices.at(-1), { id: 'voice-129', name: 'Voice 129', language: 'en', gender: 'feminine', kind: 'cloned' });
    const reqs = fake.voiceRequests.slice(-2);
    assert.deepEqual(reqs.map((r) => r.query), [{ limit: '100' }, { limit: '100', starting_after: 'voice-099' }]);
    assert.equal(reqs[0].headers.authorization, `Bearer ${KEY}`);
    assert.equal(reqs[0].headers['cartesia-version'], CARTESIA_VERSION);
    await assert.rejects(cartesiaVoices({ apiKey: 'wrong', baseURL: fake.url }), /HTTP 401.*CARTESIA_API_KEY/);
  });
});

describe('speech registry', () => {
  it('resolves provider:model strings, with keys only from the environment', () => {
    const env = { DEEPGRAM_API_KEY: 'a', OPENAI_API_KEY: 'b', ELEVENLABS_API_KEY: 'c', CARTESIA_API_KEY: 'd' };
    assert.equal(sttFor('deepgram:nova-3', { env }).id, 'deepgram:nova-3');
    assert.equal(sttFor('openai:gpt-4o-mini-transcribe', { env }).id, 'openai:gpt-4o-mini-transcribe');
    assert.equal(ttsFor('elevenlabs:eleven_flash_v2_5', { env }).id, 'elevenlabs:eleven_flash_v2_5');
    assert.equal(ttsFor('openai:gpt-4o-mini-tts', { env }).id, 'openai:gpt-4o-mini-tts');
    assert.equal(ttsFor('cartesia:sonic-2', { env }).id, 'cartesia:sonic-2');
    assert.deepEqual(parseSpeechSpec('openai:ft:custom:model'), { provider: 'openai', model: 'ft:custom:model' });
  });

  it('a missing key is a SpeechUnavailableError naming the variable', () => {
    for (const [spec, variable, resolve] of [
      ['deepgram:nova-3', 'DEEPGRAM_API_KEY', sttFor],
      ['openai:whisper-1', 'OPENAI_API_KEY', sttFor],
      ['elevenlabs:eleven_flash_v2_5', 'ELEVENLABS_API_KEY', ttsFor],
      ['openai:tts-1', 'OPENAI_API_KEY', ttsFor],
      ['cartesia:sonic-2', 'CARTESIA_API_KEY', ttsFor],
    ] as const) {
      assert.throws(() => resolve(spec, { env: {} }), (e: Error) => e instanceof SpeechUnavailableError && e.message.includes(variable) && e.message.includes(spec));
    }
  });

  it('<VENDOR>_BASE_URL points a provider at another server', async () => {
    const fake = await startFakeOpenAIAudio({ apiKey: 'k' });
    try {
      const tts = ttsFor('openai:tts-1', { env: { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: fake.url } });
      assert.ok((await collect(tts, textOf('Hi.'))).samples > 0);
      assert.equal(fake.speech.length, 1);
    } finally {
      await fake.close();
    }
  });

  it('local:pocketsphinx and local:flite are the offline engines', () => {
    assert.equal(sttFor('local:pocketsphinx', { env: {} }).id, 'local:pocketsphinx');
    assert.equal(ttsFor('local:flite', { env: {} }).id, 'local:flite');
    assert.throws(() => ttsFor('local:espeak', { env: {} }), /unknown local voice engine "espeak".*local:flite/);
  });

  it('unknown providers and malformed specs are explained', () => {
    assert.throws(() => sttFor('whisperx:large', { env: {} }), /unknown speech-to-text provider "whisperx".*deepgram, openai, local or sherpa/);
    assert.throws(() => ttsFor('nova-3', { env: {} }), /not provider:model/);
  });

  it('sherpa:<model> says how to download a missing model, and which file an incomplete one lacks', () => {
    const dir = tempDir();
    const env = { PARLEY_MODELS_DIR: dir };
    assert.throws(() => sttFor('sherpa:sherpa-onnx-whisper-tiny.en', { env }), (e: Error) => e instanceof SpeechUnavailableError && e.message.includes('parley models pull sherpa-onnx-whisper-tiny.en') && e.message.includes(dir));
    mkdirSync(join(dir, 'kokoro-en-v0_19'));
    assert.throws(() => ttsFor('sherpa:kokoro-en-v0_19', { env }), (e: Error) => e instanceof SpeechUnavailableError && /tokens\.txt/.test(e.message) && e.message.includes('parley models pull kokoro-en-v0_19'));
  });
});
