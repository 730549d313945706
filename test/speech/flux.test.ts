import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DeepgramFluxStt } from '../../src/speech/stt/deepgram-flux.ts';
import { DeepgramStt } from '../../src/speech/stt/deepgram.ts';
import { sttFor } from '../../src/speech/registry.ts';
import type { SttEvent, SttStream } from '../../src/speech/types.ts';
import { startFakeDeepgram, startFakeDeepgramFlux, type FakeFlux } from '../../src/testing/index.ts';

// Deepgram Flux (end of turn decided by the recogniser) against the protocol-faithful fake, and
// phone audio reaching Deepgram at its own 8 kHz.

const CHUNK_MS = 80; // Flux recommends 80 ms chunks
const chunk = (rate: number) => new Int16Array((rate * CHUNK_MS) / 1000);

/** Pushes `ms` of audio in 80 ms chunks, then ends the stream, and returns every event. */
async function feed(stream: SttStream, ms: number, rate = 16000): Promise<SttEvent[]> {
  const out: SttEvent[] = [];
  const reading = (async () => {
    for await (const e of stream) out.push(e);
  })();
  for (let at = 0; at < ms; at += CHUNK_MS) stream.push(chunk(rate));
  stream.end();
  await reading;
  return out;
}

describe('deepgram:flux-general-en against the fake', () => {
  let fake: FakeFlux;
  before(async () => {
    fake = await startFakeDeepgramFlux({
      apiKey: 'dg-flux',
      turns: [
        { text: 'How much is the audit?', startMs: 200, endMs: 1600 },
        { text: 'my email is john dot', startMs: 2000, endMs: 4400, falseEndMs: 3000, resumeMs: 3600, more: 'smith at gmail dot com' },
      ],
    });
  });
  after(() => fake.close());

  it('opens /v2/listen with the Token header, the model, linear16 and the turn settings', async () => {
    const stt = sttFor('deepgram:flux-general-en', { env: { DEEPGRAM_API_KEY: 'dg-flux' }, baseURL: fake.url, turn: { minEndpointingDelayMs: 500, maxEndpointingDelayMs: 3000, flux: { eotThreshold: 0.8 } } });
    assert.ok(stt instanceof DeepgramFluxStt);
    assert.equal(stt.endsTurns, true);
    await feed(stt.stream({ language: 'en-US', signal: new AbortController().signal }), 400);
    const c = fake.connections.at(-1)!;
    assert.equal(c.path, '/v2/listen');
    assert.equal(c.headers.authorization, 'Token dg-flux');
    assert.deepEqual(c.query, { model: 'flux-general-en', encoding: 'linear16', sample_rate: '16000', eot_threshold: '0.8', eot_timeout_ms: '3000' });
    assert.ok(c.controls.some((m) => JSON.parse(m).type === 'CloseStream'));
  });

  it('the turn ends on EndOfTurn: updates are partials, EndOfTurn is the final with endOfTurn "end"', async () => {
    const stt = new DeepgramFluxStt({ model: 'flux-general-en', apiKey: 'dg-flux', baseURL: fake.url });
    const events = await feed(stt.stream({ language: 'en', signal: new AbortController().signal }), 5000);
    const first = events.slice(0, events.findIndex((e) => e.endOfTurn === 'end') + 1);
    assert.ok(first.length > 2, 'updates came while the caller spoke');
    assert.ok(first.slice(0, -1).every((e) => e.type === 'partial' && !e.endOfTurn));
    assert.deepEqual({ ...first.at(-1)!, atMs: 0, confidence: 0 }, { type: 'final', text: 'How much is the audit?', endOfTurn: 'end', atMs: 0, confidence: 0 });
    assert.ok(first.at(-1)!.atMs >= 1600, 'EndOfTurn comes once Flux has heard the end');
    // No eager events unless asked for; the second turn ends once, with all of its words.
    assert.ok(!events.some((e) => e.endOfTurn === 'eager' || e.endOfTurn === 'resumed'));
    assert.deepEqual(events.filter((e) => e.endOfTurn === 'end').map((e) => e.text), ['How much is the audit?', 'my email is john dot smith at gmail dot com']);
  });

  it('eager mode: EagerEndOfTurn, then TurnResumed when the caller goes on; EndOfTurn repeats the last eager transcript', async () => {
    const stt = new DeepgramFluxStt({ model: 'flux-general-en', apiKey: 'dg-flux', baseURL: fake.url, eagerEotThreshold: 0.5 });
    const events = await feed(stt.stream({ language: 'en', signal: new AbortController().signal }), 5000);
    const marks = events.filter((e) => e.endOfTurn).map((e) => `${e.endOfTurn}:${e.text}`);
    assert.deepEqual(marks, [
      'eager:How much is the audit?',
      'end:How much is the audit?',
      'eager:my email is john dot',
      'resumed:my email is john dot',
      'eager:my email is john dot smith at gmail dot com',
      'end:my email is john dot smith at gmail dot com',
    ]);
    assert.equal(fake.connections.at(-1)!.query.eager_eot_threshold, '0.5');
  });

  it('8 kHz phone audio goes up as it is, with sample_rate=8000, and the audio clock stays right', async () => {
    const stt = new DeepgramFluxStt({ model: 'flux-general-en', apiKey: 'dg-flux', baseURL: fake.url });
    assert.ok(stt.acceptsSampleRates.includes(8000));
    const events = await feed(stt.stream({ language: 'en', signal: new AbortController().signal, sampleRate: 8000 }), 2000, 8000);
    const c = fake.connections.at(-1)!;
    assert.equal(c.query.sample_rate, '8000');
    assert.equal(c.audioBytes, (2000 / CHUNK_MS) * chunk(8000).length * 2);
    assert.equal(events.find((e) => e.endOfTurn === 'end')?.text, 'How much is the audit?');
    // Flux read the bytes as 8 kHz: the turn ended 1.6 s into the audio, not 0.8 s.
    const end = c.sent.find((m) => m.event === 'EndOfTurn')!;
    assert.ok(Number(end.audio_window_end) >= 1.6 && Number(end.audio_window_end) < 1.7, `EndOfTurn at ${String(end.audio_window_end)} s of audio`);
  });

  it('refuses a non-English conversation on flux-general-en, and a bad key names DEEPGRAM_API_KEY', async () => {
    const stt = new DeepgramFluxStt({ model: 'flux-general-en', apiKey: 'wrong', baseURL: fake.url });
    assert.throws(() => stt.stream({ language: 'pl', signal: new AbortController().signal }), /only knows English/);
    await assert.rejects(feed(stt.stream({ language: 'en', signal: new AbortController().signal }), 160), /HTTP 401.*DEEPGRAM_API_KEY/);
  });

  it('a fatal Error message fails the stream with its code and description', async () => {
    const stt = new DeepgramFluxStt({ model: 'flux-general-en', apiKey: 'dg-flux', baseURL: fake.url });
    const stream = stt.stream({ language: 'en', signal: new AbortController().signal });
    const out: SttEvent[] = [];
    const reading = (async () => {
      for await (const e of stream) out.push(e);
    })();
    stream.push(chunk(16000));
    while (!fake.connections.at(-1)?.audioBytes) await new Promise((r) => setImmediate(r));
    fake.failAll('INTERNAL_SERVER_ERROR', 'the model crashed');
    await assert.rejects(reading, /INTERNAL_SERVER_ERROR: the model crashed/);
  });

  it('a query out of Flux\'s documented ranges is refused at the handshake', async () => {
    const stt = new DeepgramFluxStt({ model: 'flux-general-en', apiKey: 'dg-flux', baseURL: fake.url, eotThreshold: 0.6, eagerEotThreshold: 0.8 });
    await assert.rejects(feed(stt.stream({ language: 'en', signal: new AbortController().signal }), 160), /HTTP 400.*eager_eot_threshold must not exceed eot_threshold/);
  });
});

describe('deepgram nova on the phone', () => {
  it('takes 8 kHz audio as it is: sample_rate=8000 on /v1/listen, no resampling', async () => {
    const fake = await startFakeDeepgram({ apiKey: 'dg', utterances: [{ text: 'Book a call.', endMs: 800 }] });
    try {
      const stt = new DeepgramStt({ model: 'nova-2-phonecall', apiKey: 'dg', baseURL: fake.url });
      assert.ok(stt.acceptsSampleRates.includes(8000));
      const events = await feed(stt.stream({ language: 'en', signal: new AbortController().signal, sampleRate: 8000 }), 1200, 8000);
      const c = fake.connections.at(-1)!;
      assert.equal(c.query.sample_rate, '8000');
      assert.equal(c.query.model, 'nova-2-phonecall');
      assert.equal(events.find((e) => e.type === 'final')?.text, 'Book a call.');
      assert.throws(() => stt.stream({ language: 'en', signal: new AbortController().signal, sampleRate: 11025 }), /cannot send audio at 11025 Hz/);
    } finally {
      await fake.close();
    }
  });
});
