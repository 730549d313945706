import type { CatalogueVoice } from './catalogue.ts';

// OpenAI's built-in voices (the API has no voice list). OpenAI publishes their names and which
// models take them, not a gender or an accent. The gender here is how each voice sounds, as
// voice tables of platforms that offer them describe it (alloy: neutral) — a hint for choosing,
// not OpenAI's label: listen to them in OpenAI's text-to-speech guide (openai.fm). No accent is
// given. They are tuned for English and follow the language of the text, so they are
// multilingual: any language filter lists them.

type Gender = CatalogueVoice['gender'];
const NEWER = ['gpt-4o-mini-tts'];
const ALL = ['gpt-4o-mini-tts', 'tts-1', 'tts-1-hd'];
const v = (id: string, models: string[], gender: Gender, description: string): CatalogueVoice => ({ provider: 'openai', id, name: id, language: 'en', multilingual: true, models, gender, description });

/** OpenAI's built-in voices and the models that take each. */
export const OPENAI_CATALOGUE: readonly CatalogueVoice[] = [
  v('alloy', ALL, 'neutral', 'neutral and balanced'),
  v('ash', ALL, 'male', 'clear and steady'),
  v('ballad', NEWER, 'male', 'soft and melodic'),
  v('coral', ALL, 'female', 'warm and friendly'),
  v('echo', ALL, 'male', 'warm and even'),
  v('fable', ALL, 'male', 'expressive, British-sounding'),
  v('nova', ALL, 'female', 'bright and energetic'),
  v('onyx', ALL, 'male', 'deep and authoritative'),
  v('sage', ALL, 'female', 'calm and measured'),
  v('shimmer', ALL, 'female', 'soft and gentle'),
  v('verse', NEWER, 'male', 'expressive'),
  v('marin', NEWER, 'female', 'natural; recommended by OpenAI for the best quality'),
  v('cedar', NEWER, 'male', 'natural; recommended by OpenAI for the best quality'),
];
