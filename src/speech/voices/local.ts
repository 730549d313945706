import type { CatalogueVoice } from './catalogue.ts';

// Voices that need no key. flite's built-in voices are CMU ARCTIC / CMU diphone speakers, as the
// CMU Festvox documentation describes them; which of them a machine has is what `flite -lv`
// prints (`parley voices --provider local` asks it when flite is installed). Kokoro's speakers
// (a sherpa-onnx model pulled with `parley models pull`) are named by its convention: the first
// letter is the accent (a = American, b = British English), the second the gender (f, m).

const flite = (id: string, accent: string, description: string): CatalogueVoice => ({ provider: 'local', id, name: id, language: 'en', accent, gender: 'male', description });

/** flite's built-in voices (voice.tts: local:flite). */
export const FLITE_VOICES: readonly CatalogueVoice[] = [
  flite('rms', 'american', 'CMU ARCTIC speaker rms, US English; the default voice'),
  { ...flite('slt', 'american', 'CMU ARCTIC speaker slt, US English'), gender: 'female' },
  flite('awb', 'scottish', 'CMU ARCTIC speaker awb, Scottish English'),
  flite('kal', 'american', 'CMU US English diphone voice, 8 kHz'),
  flite('kal16', 'american', 'CMU US English diphone voice, 16 kHz'),
];

const kokoro = (id: string, name: string): CatalogueVoice => ({
  provider: 'sherpa',
  id,
  name,
  language: 'en',
  accent: id[0] === 'b' ? 'british' : 'american',
  gender: id[1] === 'f' ? 'female' : 'male',
  description: 'Kokoro speaker (voice.tts: sherpa:<a pulled kokoro model>)',
});

/** Kokoro v0.19's speakers, for a pulled sherpa-onnx Kokoro model. */
export const KOKORO_CATALOGUE: readonly CatalogueVoice[] = [
  kokoro('af', 'af (Bella and Sarah mixed)'),
  kokoro('af_bella', 'Bella'),
  kokoro('af_nicole', 'Nicole'),
  kokoro('af_sarah', 'Sarah'),
  kokoro('af_sky', 'Sky'),
  kokoro('am_adam', 'Adam'),
  kokoro('am_michael', 'Michael'),
  kokoro('bf_emma', 'Emma'),
  kokoro('bf_isabella', 'Isabella'),
  kokoro('bm_george', 'George'),
  kokoro('bm_lewis', 'Lewis'),
];
