// The recogniser hears the agent's persona.language: what reaches the wire of each cloud engine
// (against the fakes), and what `parley check` warns about engines that cannot do the language.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createEnergyVad } from '../../src/audio/energy-vad.ts';
import { AgentFile } from '../../src/agent/schema.ts';
import { languageWarnings } from '../../src/cli/agent-checks.ts';
import { sttFor } from '../../src/speech/registry.ts';
import { deepgramLanguage, sttLanguage } from '../../src/speech/stt-language.ts';
import { OpenAIStt } from '../../src/speech/stt/openai.ts';
import type { SttStream } from '../../src/speech/types.ts';
import { startFakeDeepgram, type FakeDeepgram } from '../../src/testing/deepgram.ts';
import { startFakeOpenAIAudio, type FakeOpenAIAudio } from '../../src/testing/openai-audio.ts';

async function drain(s: SttStream): Promise<void> {
  for await (const _ of s);
}
const tone = (ms: number) => Int16Array.from({ length: ms * 16 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 16000)));

describe('persona.language on the wire', () => {
  let dg: FakeDeepgram;
  let oa: FakeOpenAIAudio;
  before(async () => {
    dg = await startFakeDeepgram({ apiKey: 'dg', utterances: [{ text: 'Hello.', endMs: 300 }] });
    oa = await startFakeOpenAIAudio({ apiKey: 'sk', fallback: 'Hello.' });
  });
  after(async () => {
    await dg.close();
    await oa.close();
  });

  for (const [persona, wire] of [['en-GB', 'en-GB'], ['en-gb', 'en-GB'], ['pl-PL', 'pl'], ['es-419', 'es-419'], ['de', 'de']] as const) {
    it(`Deepgram is asked for language=${wire} when persona.language is ${persona}`, async () => {
      const s = sttFor('deepgram:nova-3', { env: { DEEPGRAM_API_KEY: 'dg', DEEPGRAM_BASE_URL: dg.url } }).stream({ language: persona, signal: new AbortController().signal });
      s.push(new Int16Array(1600));
      s.end();
      await drain(s);
      assert.equal(dg.connections.at(-1)!.query.language, wire);
    });
  }

  for (const [model, persona, wire] of [['nova-2-phonecall', 'en-GB', 'en'], ['nova-2-phonecall', 'en-US', 'en-US'], ['nova-2-phonecall', 'en', 'en'], ['nova-2', 'en-GB', 'en-GB']] as const) {
    it(`deepgram:${model} is asked for language=${wire} when persona.language is ${persona}`, async () => {
      const s = sttFor(`deepgram:${model}`, { env: { DEEPGRAM_API_KEY: 'dg', DEEPGRAM_BASE_URL: dg.url } }).stream({ language: persona, signal: new AbortController().signal });
      s.push(new Int16Array(1600));
      s.end();
      await drain(s);
      assert.equal(dg.connections.at(-1)!.query.model, model);
      assert.equal(dg.connections.at(-1)!.query.language, wire);
    });
  }

  for (const [persona, wire] of [['en-GB', 'en'], ['pl-PL', 'pl'], ['pt-BR', 'pt']] as const) {
    it(`OpenAI transcription is sent language=${wire} when persona.language is ${persona}`, async () => {
      const stt = new OpenAIStt({ model: 'gpt-4o-mini-transcribe', apiKey: 'sk', baseURL: oa.url, vad: () => createEnergyVad({ minSilenceMs: 500 }) });
      const s = stt.stream({ language: persona, signal: new AbortController().signal });
      s.push(tone(800));
      s.end();
      await drain(s);
      assert.equal(oa.transcriptions.at(-1)!.fields.language, wire);
    });
  }
});

describe('recognisers that cannot do the language', () => {
  const config = (stt: string, language: string) => AgentFile.parse({ persona: { prompt: 'p', firstMessage: 'hi', language }, listen: { stt } });

  it('local:pocketsphinx is US English only, and says so for British English', () => {
    const [w] = languageWarnings(config('local:pocketsphinx', 'en-GB'));
    assert.match(w, /^listen\.stt: local:pocketsphinx is US English only/);
    assert.match(w, /deepgram:nova-3 \(language=en-GB\)/);
    assert.match(languageWarnings(config('local:pocketsphinx', 'pl'))[0], /cannot recognise pl/);
    assert.deepEqual(languageWarnings(config('local:pocketsphinx', 'en-US')), []);
    assert.deepEqual(languageWarnings(config('local:pocketsphinx', 'en')), []);
  });

  it('cloud engines that can do it get no warning; an English-only model or an unknown language does', () => {
    assert.deepEqual(languageWarnings(config('deepgram:nova-3', 'en-GB')), []);
    assert.deepEqual(languageWarnings(config('openai:gpt-4o-mini-transcribe', 'pl-PL')), []);
    assert.match(languageWarnings(config('openai:gpt-4o-mini-transcribe', 'xx-YY'))[0], /has no "xx"/);
    assert.match(languageWarnings(config('sherpa:sherpa-onnx-whisper-tiny.en', 'de'))[0], /English-only/);
    assert.deepEqual(languageWarnings(config('sherpa:sherpa-onnx-whisper-tiny.en', 'en-GB')), []);
  });

  it('deepgram:nova-2-phonecall is US English only (support LOG entry 5), and so are Nova-2\'s other domain models', () => {
    const [w, ...rest] = languageWarnings(config('deepgram:nova-2-phonecall', 'en-GB'));
    assert.deepEqual(rest, []);
    assert.match(w!, /^listen\.stt: deepgram:nova-2-phonecall is US English only \(Deepgram lists en and en-US for it\): en-GB callers are heard by a US English model \(sent language=en\); for en-GB use deepgram:nova-3 \(language=en-GB\)$/);
    assert.deepEqual(languageWarnings(config('deepgram:nova-2-phonecall', 'en-US')), []);
    assert.deepEqual(languageWarnings(config('deepgram:nova-2-phonecall', 'en')), []);
    assert.match(languageWarnings(config('deepgram:nova-2-phonecall', 'pl-PL'))[0]!, /knows only English and cannot recognise pl-PL: the call would fail; use deepgram:nova-3 .*\(language=pl\)/);
    for (const m of ['nova-2-meeting', 'nova-2-voicemail', 'nova-2-conversationalai', 'nova-2-medical', 'NOVA-2-PHONECALL']) {
      assert.match(languageWarnings(config(`deepgram:${m}`, 'en-AU'))[0] ?? '', /US English only/, m);
    }
    for (const m of ['nova-2', 'nova-2-general', 'nova-3', 'nova-3-general']) assert.deepEqual(languageWarnings(config(`deepgram:${m}`, 'en-GB')), [], m);
    assert.deepEqual(languageWarnings(config('deepgram:nova-2', 'pl')), []);
  });

  it('deepgram:flux-general-en and nova-3-medical know English in any variant, and nothing else', () => {
    assert.deepEqual(languageWarnings(config('deepgram:flux-general-en', 'en-GB')), []);
    assert.deepEqual(languageWarnings(config('deepgram:nova-3-medical', 'en-AU')), []);
    assert.match(languageWarnings(config('deepgram:flux-general-en', 'de-DE'))[0]!, /flux-general-en knows only English and cannot recognise de-DE.*flux-general-multi/);
    assert.match(languageWarnings(config('deepgram:nova-3-medical', 'fr'))[0]!, /knows only English/);
    assert.deepEqual(languageWarnings(config('deepgram:flux-general-multi', 'de-DE')), []);
  });

  it('maps tags the way Deepgram writes its codes', () => {
    assert.equal(deepgramLanguage('zh-hant'), 'zh-Hant');
    assert.equal(deepgramLanguage('fr-FR'), 'fr');
    assert.equal(sttLanguage('deepgram:nova-3', 'en-AU').wire, 'en-AU');
  });
});
