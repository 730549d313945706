import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CARTESIA_DEFAULT_VOICE } from '../../src/speech/tts/cartesia.ts';
import { ELEVENLABS_DEFAULT_VOICE } from '../../src/speech/tts/elevenlabs.ts';
import { OPENAI_VOICES } from '../../src/speech/tts/openai.ts';
import { KOKORO_V019_VOICES } from '../../src/speech/tts/sherpa.ts';
import { accentOf, catalogued, catalogueOf, filterVoices, VOICE_CATALOGUE } from '../../src/speech/voices/catalogue.ts';
import { voiceIdProblem } from '../../src/speech/voices/voice-id.ts';

// The voice catalogue is data a coding agent picks voice.voiceId from without a key: it must be
// well-formed, agree with the speech adapters, and the voiceId check must never flag a real id.

describe('the voice catalogue', () => {
  it('has one entry per provider and id, each id of its provider’s shape, each with a language', () => {
    const seen = new Set<string>();
    for (const v of VOICE_CATALOGUE) {
      const key = `${v.provider}:${v.id}`;
      assert.ok(!seen.has(key), `duplicate ${key}`);
      seen.add(key);
      assert.match(v.language, /^[a-z]{2}$/, key);
      if (v.accent) assert.equal(v.accent, v.accent.toLowerCase(), key);
      const tts = { elevenlabs: 'elevenlabs:eleven_flash_v2_5', cartesia: 'cartesia:sonic-2', openai: 'openai:gpt-4o-mini-tts', local: 'local:flite', sherpa: 'sherpa:kokoro-en-v0_19' }[v.provider];
      assert.equal(voiceIdProblem(tts, v.id), undefined, `${key} is flagged by the voiceId check`);
    }
  });

  it('agrees with the adapters: OpenAI’s set and Kokoro’s speakers are the same lists', () => {
    assert.deepEqual(catalogueOf('openai').map((v) => v.id).sort(), [...OPENAI_VOICES].sort());
    assert.deepEqual(catalogueOf('sherpa').map((v) => v.id), KOKORO_V019_VOICES);
    assert.ok(catalogued('elevenlabs', ELEVENLABS_DEFAULT_VOICE), 'the ElevenLabs default voice is catalogued');
    assert.match(CARTESIA_DEFAULT_VOICE, /^[0-9a-f-]{36}$/);
  });

  it('finds voices by accent words, BCP-47 tags and gender words', () => {
    assert.equal(accentOf('UK'), 'british');
    assert.equal(accentOf('en-GB'), 'british');
    assert.equal(accentOf('en_AU'), 'australian');
    const british = filterVoices(catalogueOf('elevenlabs'), { language: 'en-GB', gender: 'woman' });
    assert.deepEqual(british.map((v) => v.name).sort(), ['Alice', 'Lily']);
    assert.deepEqual(filterVoices(catalogueOf('elevenlabs'), { accent: 'Australian' }).map((v) => v.name), ['Charlie']);
    assert.ok(filterVoices(VOICE_CATALOGUE, { language: 'de' }).every((v) => v.provider === 'cartesia' || v.multilingual));
    assert.deepEqual(filterVoices(VOICE_CATALOGUE, { accent: 'klingon' }), []);
  });

  it('multilingual voices (OpenAI’s, ElevenLabs’) match any language; one-language voices only their own (accounting LOG entry 11)', () => {
    assert.deepEqual(filterVoices(catalogueOf('openai'), { language: 'pl' }).map((v) => v.id).sort(), [...OPENAI_VOICES].sort());
    assert.equal(filterVoices(catalogueOf('elevenlabs'), { language: 'pl-PL' }).length, catalogueOf('elevenlabs').length);
    assert.ok(catalogueOf('openai').every((v) => v.multilingual) && catalogueOf('elevenlabs').every((v) => v.multilingual));
    const polish = filterVoices(catalogueOf('cartesia'), { language: 'pl' });
    assert.ok(polish.length > 0 && polish.every((v) => v.language === 'pl'), 'Cartesia voices keep their one language');
    assert.deepEqual(filterVoices([...catalogueOf('local'), ...catalogueOf('sherpa')], { language: 'pl' }), [], 'English-only engines are not listed');
    assert.deepEqual(filterVoices(catalogueOf('openai'), { language: 'en-GB' }), [], 'a region still asks for that accent, which OpenAI does not label');
  });

  it('OpenAI voices can be chosen by how they sound: a female voice for a Polish agent (accounting LOG entry 2)', () => {
    assert.deepEqual(filterVoices(catalogueOf('openai'), { language: 'pl', gender: 'female' }).map((v) => v.id).sort(), ['coral', 'marin', 'nova', 'sage', 'shimmer']);
    assert.ok(catalogueOf('openai').every((v) => v.gender && v.description && !v.accent), 'every OpenAI voice has a gender and a description, and no accent');
  });
});

describe('voice.voiceId check', () => {
  it('flags a stock voice’s name written for its id, with the id', () => {
    assert.match(voiceIdProblem('elevenlabs:eleven_flash_v2_5', 'George')!, /did you mean JBFqnCBsd6RMkjVDRZzb \(George\)/);
    assert.match(voiceIdProblem('cartesia:sonic-2', 'british lady')!, /did you mean 79a125e8-cd45-4c13-8a67-188112f4dd22/);
    assert.match(voiceIdProblem('elevenlabs', 'my-voice')!, /20 letters and digits; `parley voices --provider elevenlabs` lists them/);
  });

  it('never flags an id of the right shape, so cloned and library voices pass', () => {
    assert.equal(voiceIdProblem('elevenlabs:eleven_turbo_v2_5', 'aB3dE5gH7jK9mN1pQ3sT'), undefined);
    assert.equal(voiceIdProblem('cartesia:sonic-2', '6ccbfb76-1fc6-48f7-b71d-91ac6298247b'), undefined);
    assert.equal(voiceIdProblem('local:flite', '/voices/cmu_us_aup.flitevox'), undefined);
    assert.equal(voiceIdProblem('sherpa:vits-piper-en_GB-alan-low', '0'), undefined);
  });

  it('knows OpenAI’s fixed set and which model takes which voice', () => {
    assert.equal(voiceIdProblem('openai:gpt-4o-mini-tts', 'marin'), undefined);
    assert.match(voiceIdProblem('openai:tts-1', 'marin')!, /tts-1 has no voice "marin"; marin needs gpt-4o-mini-tts/);
    assert.match(voiceIdProblem('openai:gpt-4o-mini-tts', 'Coral')!, /lower-case: "coral"/);
    assert.match(voiceIdProblem('openai:gpt-4o-mini-tts', 'rachel')!, /OpenAI has no voice "rachel"/);
    assert.match(voiceIdProblem('local:flite', 'amy')!, /flite has no built-in voice "amy"/);
  });
});
