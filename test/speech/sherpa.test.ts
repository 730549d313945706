import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createEnergyVad } from '../../src/audio/energy-vad.ts';
import { sherpaFolder, sttFor, ttsFor } from '../../src/speech/registry.ts';
import { checkOnnxFiles } from '../../src/speech/sherpa-files.ts';
import { SherpaStt, sherpaSttConfig, type OfflineRecognizerApi, type OnlineRecognizerApi, type OnlineStreamApi, type SherpaAsr } from '../../src/speech/stt/sherpa.ts';
import { SherpaTts, sherpaTtsConfig, speakerId } from '../../src/speech/tts/sherpa.ts';
import { SpeechUnavailableError, type SttEvent } from '../../src/speech/types.ts';

// The sherpa-onnx engines without real models: model folders of empty files named as in the
// release archives, checked for the config each builder makes; and the stream logic against a
// stand-in for sherpa-onnx-node. Loading real models is not tested here (no downloads in tests).

const root = mkdtempSync(join(tmpdir(), 'parley-sherpa-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A fake model folder: `files` as empty files, names ending in / as folders. */
function folder(name: string, files: string[]): { name: string; dir: string } {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const f of files) {
    if (f.endsWith('/')) mkdirSync(join(dir, f), { recursive: true });
    else writeFileSync(join(dir, f), '');
  }
  return { name, dir };
}

const ZIPFORMER = 'sherpa-onnx-streaming-zipformer-en-2023-06-26';
const zipformerFiles = ['bpe.model', 'tokens.txt', 'test_wavs/'].concat(
  ...['encoder', 'decoder', 'joiner'].map((p) => [`${p}-epoch-99-avg-1-chunk-16-left-128.onnx`, `${p}-epoch-99-avg-1-chunk-16-left-128.int8.onnx`]),
);
const whisperFiles = ['tiny.en-encoder.onnx', 'tiny.en-encoder.int8.onnx', 'tiny.en-decoder.onnx', 'tiny.en-decoder.int8.onnx', 'tiny.en-tokens.txt'];
const parakeetFiles = ['encoder.int8.onnx', 'decoder.int8.onnx', 'joiner.int8.onnx', 'tokens.txt'];
const moonshineFiles = ['preprocess.onnx', 'encode.int8.onnx', 'uncached_decode.int8.onnx', 'cached_decode.int8.onnx', 'tokens.txt'];
const piperFiles = ['en_US-amy-low.onnx', 'en_US-amy-low.onnx.json', 'tokens.txt', 'MODEL_CARD', 'espeak-ng-data/'];
const kokoroFiles = ['model.onnx', 'voices.bin', 'tokens.txt', 'espeak-ng-data/'];

describe('sherpa: model folders', () => {
  it('a missing folder names `parley models pull <name>` and the folder', () => {
    const env = { PARLEY_MODELS_DIR: join(root, 'empty-models') };
    for (const call of [() => sttFor('sherpa:sherpa-onnx-whisper-tiny.en', { env }), () => ttsFor('sherpa:vits-piper-en_US-amy-low', { env })]) {
      assert.throws(call, (e: Error) => e instanceof SpeechUnavailableError && /parley models pull (sherpa-onnx-whisper-tiny\.en|vits-piper-en_US-amy-low)/.test(e.message) && e.message.includes(env.PARLEY_MODELS_DIR));
    }
    assert.throws(() => sherpaSttConfig({ name: 'gone', dir: join(root, 'gone') }), /parley models pull gone/);
    assert.throws(() => sherpaTtsConfig({ name: 'gone', dir: join(root, 'gone') }), /parley models pull gone/);
  });

  it('a missing file is named, with the pull command', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => sherpaSttConfig(folder('sherpa-onnx-whisper-tiny.en', whisperFiles.filter((f) => !f.includes('tokens')))), /tokens\.txt/],
      [() => sherpaSttConfig(folder('sherpa-onnx-whisper-base.en', whisperFiles.filter((f) => !f.includes('decoder')))), /Whisper decoder/],
      [() => sherpaSttConfig(folder(`${ZIPFORMER}-nojoiner`, zipformerFiles.filter((f) => !f.startsWith('joiner')))), /joiner/],
      [() => sherpaSttConfig(folder('sherpa-onnx-moonshine-x', moonshineFiles.filter((f) => !f.startsWith('cached')))), /cached_decode/],
      [() => sherpaTtsConfig(folder('kokoro-novoices', kokoroFiles.filter((f) => f !== 'voices.bin'))), /voices\.bin/],
      [() => sherpaTtsConfig(folder('kokoro-noespeak', kokoroFiles.filter((f) => f !== 'espeak-ng-data/'))), /espeak-ng-data/],
      [() => sherpaTtsConfig(folder('vits-piper-nomodel', piperFiles.filter((f) => !f.endsWith('.onnx')))), /\*\.onnx/],
      [() => sherpaTtsConfig(folder('vits-piper-noespeak', piperFiles.filter((f) => f !== 'espeak-ng-data/'))), /espeak-ng-data/],
    ];
    for (const [call, what] of cases) {
      assert.throws(call, (e: Error) => e instanceof SpeechUnavailableError && what.test(e.message) && /parley models pull \S+/.test(e.message), String(call));
    }
  });

  it('registry: the folder, and which kind of model goes where', () => {
    const env = { PARLEY_MODELS_DIR: root };
    folder('kokoro-en-v0_19', kokoroFiles);
    assert.equal(sherpaFolder('kokoro-en-v0_19', env), join(root, 'kokoro-en-v0_19'));
    assert.ok(ttsFor('sherpa:kokoro-en-v0_19', { env }) instanceof SherpaTts);
    assert.throws(() => sttFor('sherpa:kokoro-en-v0_19', { env }), /text-to-speech voice, not a recogniser/);
    folder('sherpa-onnx-whisper-tiny.en', whisperFiles);
    const stt = sttFor('sherpa:sherpa-onnx-whisper-tiny.en', { env });
    assert.ok(stt instanceof SherpaStt);
    assert.equal(stt.id, 'sherpa:sherpa-onnx-whisper-tiny.en');
    assert.equal(stt.sampleRate, 16000);
  });
});

describe('sherpa: configs', () => {
  it('streaming zipformer → OnlineRecognizer transducer with endpointing, int8 encoder/joiner, fp32 decoder', () => {
    const m = folder(ZIPFORMER, zipformerFiles);
    const c = sherpaSttConfig(m, { numThreads: 2, endSilenceMs: 600 });
    assert.equal(c.kind, 'online');
    assert.deepEqual(c.config, {
      featConfig: { sampleRate: 16000, featureDim: 80 },
      modelConfig: {
        transducer: {
          encoder: join(m.dir, 'encoder-epoch-99-avg-1-chunk-16-left-128.int8.onnx'),
          decoder: join(m.dir, 'decoder-epoch-99-avg-1-chunk-16-left-128.onnx'),
          joiner: join(m.dir, 'joiner-epoch-99-avg-1-chunk-16-left-128.int8.onnx'),
        },
        tokens: join(m.dir, 'tokens.txt'),
        numThreads: 2,
        provider: 'cpu',
        debug: 0,
      },
      decodingMethod: 'greedy_search',
      enableEndpoint: 1,
      rule1MinTrailingSilence: 2.4,
      rule2MinTrailingSilence: 0.6,
      rule3MinUtteranceLength: 20,
    });
  });

  it('whisper → OfflineRecognizer whisper; English-only models get no language', () => {
    const m = folder('sherpa-onnx-whisper-tiny.en', whisperFiles);
    const c = sherpaSttConfig(m, { numThreads: 1 });
    assert.equal(c.kind, 'offline');
    assert.ok(c.kind === 'offline' && c.family === 'whisper');
    assert.deepEqual(c.config.modelConfig, {
      whisper: { encoder: join(m.dir, 'tiny.en-encoder.int8.onnx'), decoder: join(m.dir, 'tiny.en-decoder.int8.onnx'), language: '', task: 'transcribe' },
      tokens: join(m.dir, 'tiny.en-tokens.txt'),
      numThreads: 1,
      provider: 'cpu',
      debug: 0,
    });
    const multi = folder('sherpa-onnx-whisper-tiny', ['tiny-encoder.onnx', 'tiny-decoder.onnx', 'tiny-tokens.txt']);
    const mc = sherpaSttConfig(multi, { language: 'de-DE' });
    assert.ok(mc.kind === 'offline');
    assert.equal(mc.config.modelConfig.whisper?.language, 'de');
    assert.equal(mc.config.modelConfig.whisper?.encoder, join(multi.dir, 'tiny-encoder.onnx'));
  });

  it('moonshine → OfflineRecognizer moonshine', () => {
    const m = folder('sherpa-onnx-moonshine-tiny-en-int8', moonshineFiles);
    const c = sherpaSttConfig(m);
    assert.ok(c.kind === 'offline' && c.family === 'moonshine');
    assert.deepEqual(c.config.modelConfig.moonshine, {
      preprocessor: join(m.dir, 'preprocess.onnx'),
      encoder: join(m.dir, 'encode.int8.onnx'),
      uncachedDecoder: join(m.dir, 'uncached_decode.int8.onnx'),
      cachedDecoder: join(m.dir, 'cached_decode.int8.onnx'),
    });
    assert.equal(c.config.modelConfig.tokens, join(m.dir, 'tokens.txt'));
    assert.ok(c.config.modelConfig.numThreads >= 1 && c.config.modelConfig.numThreads <= 4);
  });

  it('parakeet → offline nemo_transducer', () => {
    const m = folder('sherpa-onnx-nemo-parakeet-tdt-0.6b-v2-int8', parakeetFiles);
    const c = sherpaSttConfig(m);
    assert.ok(c.kind === 'offline' && c.family === 'transducer');
    assert.equal(c.config.modelConfig.modelType, 'nemo_transducer');
    assert.deepEqual(c.config.modelConfig.transducer, { encoder: join(m.dir, 'encoder.int8.onnx'), decoder: join(m.dir, 'decoder.int8.onnx'), joiner: join(m.dir, 'joiner.int8.onnx') });
  });

  it('piper → OfflineTts vits with espeak-ng-data, 16 kHz for a -low voice', () => {
    const m = folder('vits-piper-en_US-amy-low', piperFiles);
    const c = sherpaTtsConfig(m, { numThreads: 1 });
    assert.equal(c.family, 'vits');
    assert.equal(c.sampleRate, 16000);
    assert.deepEqual(c.config, {
      model: {
        vits: { model: join(m.dir, 'en_US-amy-low.onnx'), tokens: join(m.dir, 'tokens.txt'), dataDir: join(m.dir, 'espeak-ng-data'), lexicon: '', noiseScale: 0.667, noiseScaleW: 0.8, lengthScale: 1 },
        numThreads: 1,
        provider: 'cpu',
        debug: 0,
      },
      maxNumSentences: 1,
    });
    assert.equal(sherpaTtsConfig(folder('vits-piper-en_US-lessac-medium', ['en_US-lessac-medium.onnx', 'tokens.txt', 'espeak-ng-data/'])).sampleRate, 22050);
    assert.equal(new SherpaTts(m).sampleRate, 16000);
  });

  it('kokoro → OfflineTts kokoro at 24 kHz; voices by name or number', () => {
    const m = folder('kokoro-en-v0_19', kokoroFiles);
    const c = sherpaTtsConfig(m, { numThreads: 3 });
    assert.equal(c.family, 'kokoro');
    assert.equal(c.sampleRate, 24000);
    assert.deepEqual(c.config.model.kokoro, { model: join(m.dir, 'model.onnx'), voices: join(m.dir, 'voices.bin'), tokens: join(m.dir, 'tokens.txt'), dataDir: join(m.dir, 'espeak-ng-data'), lengthScale: 1 });
    assert.equal(c.config.model.numThreads, 3);
    assert.equal(speakerId('kokoro', undefined), 0);
    assert.equal(speakerId('kokoro', 'af_sarah'), 3);
    assert.equal(speakerId('kokoro', '7'), 7);
    assert.throws(() => speakerId('kokoro', 'rachel'), /af_bella/);
    assert.throws(() => speakerId('vits', 'amy'), /speaker number/);
  });
});

// --- the stream logic, with a stand-in for sherpa-onnx-node ----------------------------------

const tone = (ms: number) => Int16Array.from({ length: (ms * 16000) / 1000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 16000)));
const quiet = (ms: number) => new Int16Array((ms * 16000) / 1000);

async function collect(it: AsyncIterable<SttEvent>): Promise<SttEvent[]> {
  const out: SttEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

describe('sherpa: recognition streams (stand-in recogniser)', () => {
  it('per-utterance models: each VAD segment decoded into one final, in order', async () => {
    const m = folder('sherpa-onnx-whisper-tiny.en', whisperFiles);
    const decoded: number[] = [];
    const offline: OfflineRecognizerApi = {
      createStream: () => {
        let n = 0;
        return { acceptWaveform: (w) => void (n += w.samples.length), get n() { return n; } } as { acceptWaveform: (w: { samples: Float32Array }) => void; n: number };
      },
      decodeAsync: async (s) => {
        const n = (s as unknown as { n: number }).n;
        decoded.push(n);
        await new Promise((r) => setTimeout(r, decoded.length === 1 ? 20 : 0)); // the first is slower: order must hold
        return { text: ` utterance ${decoded.length} ` };
      },
    };
    const sherpa = { OfflineRecognizer: { createAsync: async () => offline } } as unknown as SherpaAsr;
    const stt = new SherpaStt(m, { sherpa, vad: () => createEnergyVad({ minSilenceMs: 300 }) });
    const s = stt.stream({ language: 'en', signal: AbortSignal.timeout(5000) });
    s.push(quiet(500));
    s.push(tone(1000));
    s.push(quiet(800));
    s.push(tone(600));
    s.end();
    const events = await collect(s);
    assert.deepEqual(events.map((e) => [e.type, e.text]), [['final', 'utterance 1'], ['final', 'utterance 2']]);
    // Each decode got its speech plus a little padding, not the whole stream.
    assert.ok(decoded[0] >= 16000 && decoded[0] < 16000 * 1.6, String(decoded));
    assert.ok(decoded[1] >= 9600 && decoded[1] < 9600 + 16000 * 0.5, String(decoded));
    assert.ok(events[0].atMs <= events[1].atMs);
  });

  it('an English-only whisper refuses other languages', () => {
    const stt = new SherpaStt(folder('sherpa-onnx-whisper-tiny.en', whisperFiles), { sherpa: {} as SherpaAsr });
    assert.throws(() => stt.stream({ language: 'fr', signal: AbortSignal.timeout(1000) }), /English-only/);
  });

  it('streaming models: partials as the hypothesis grows, a final at each endpoint and at the end', async () => {
    const m = folder(ZIPFORMER, zipformerFiles);
    const script = ['', 'hel', 'hello', 'hello', '<end>', 'wor', 'world'];
    let step = -1;
    let endpoint = false;
    let text = '';
    const online: OnlineRecognizerApi = {
      createStream: () => ({ acceptWaveform: () => void step++, inputFinished: () => {} }) as OnlineStreamApi,
      isReady: () => false,
      decode: () => {},
      getResult: () => {
        const s = script[Math.min(step, script.length - 1)];
        endpoint = s === '<end>';
        if (!endpoint) text = s;
        return { text };
      },
      isEndpoint: () => endpoint,
      reset: () => void (text = ''),
    };
    const sherpa = { OnlineRecognizer: class { constructor() { return online; } } } as unknown as SherpaAsr;
    const s = new SherpaStt(m, { sherpa }).stream({ language: 'en', signal: AbortSignal.timeout(5000) });
    for (let i = 0; i < script.length; i++) s.push(quiet(100));
    s.end();
    const events = await collect(s);
    assert.deepEqual(events.map((e) => [e.type, e.text]), [['partial', 'hel'], ['partial', 'hello'], ['final', 'hello'], ['partial', 'wor'], ['partial', 'world'], ['final', 'world']]);
  });
});

describe('sherpa: speech synthesis (stand-in OfflineTts)', () => {
  it('one generateAsync per clause, PCM16 at the declared rate (resampled when the model differs)', async () => {
    const m = folder('vits-piper-en_US-amy-low', piperFiles);
    const calls: { text: string; sid: number; speed: number }[] = [];
    const fake = (rate: number) => ({
      OfflineTts: {
        createAsync: async () => ({
          sampleRate: rate,
          numSpeakers: 1,
          generateAsync: async (r: { text: string; sid: number; speed: number }) => {
            calls.push(r);
            return { samples: new Float32Array(rate / 10).fill(0.5), sampleRate: rate };
          },
        }),
      },
    });
    const signal = AbortSignal.timeout(5000);
    const text = async function* () {
      yield 'Hello there. How';
      yield ' are you?';
    };
    const chunks: Int16Array[] = [];
    for await (const c of new SherpaTts(m, { sherpa: fake(16000) }).speak(text(), { voice: { speed: 1.2 }, signal })) chunks.push(c);
    assert.deepEqual(calls, [{ text: 'Hello there.', sid: 0, speed: 1.2 }, { text: 'How are you?', sid: 0, speed: 1.2 }]);
    assert.deepEqual(chunks.map((c) => c.length), [1600, 1600]);
    assert.equal(chunks[0][10], 16384);
    const resampled: Int16Array[] = [];
    for await (const c of new SherpaTts(m, { sherpa: fake(22050) }).speak(text(), { voice: { speed: 1 }, signal })) resampled.push(c);
    assert.ok(resampled.every((c) => Math.abs(c.length - 1600) <= 30), resampled.map((c) => c.length).join());
    await assert.rejects(async () => {
      for await (const _ of new SherpaTts(m, { sherpa: fake(16000) }).speak(text(), { voice: { speed: 1, voiceId: '3' }, signal }));
    }, /1 speaker/);
  });
});

describe('sherpa: broken downloads', () => {
  it('empty or non-ONNX model files are refused before sherpa-onnx sees them (it can abort the process on them)', async () => {
    const z = folder(`${ZIPFORMER}-empty`, zipformerFiles);
    assert.throws(() => new SherpaStt(z).stream({ language: 'en', signal: AbortSignal.timeout(1000) }), (e: Error) => e instanceof SpeechUnavailableError && /empty or not an ONNX model/.test(e.message) && /parley models pull \S+ --force/.test(e.message));
    const k = folder('kokoro-empty', kokoroFiles);
    await assert.rejects(async () => {
      for await (const _ of new SherpaTts(k).speak((async function* () { yield 'Hi.'; })(), { voice: { speed: 1 }, signal: AbortSignal.timeout(1000) }));
    }, /model\.onnx is empty or not an ONNX model/);
    const ok = folder('onnx-header', []);
    writeFileSync(join(ok.dir, 'a.onnx'), Buffer.from([0x08, 0x07]));
    writeFileSync(join(ok.dir, 'b.onnx'), 'not onnx');
    assert.doesNotThrow(() => checkOnnxFiles(ok, [join(ok.dir, 'a.onnx'), join(ok.dir, 'tokens.txt')]));
    assert.throws(() => checkOnnxFiles(ok, [join(ok.dir, 'b.onnx')]), /b\.onnx is empty or not an ONNX model/);
  });
});
