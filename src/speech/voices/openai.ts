import type { CatalogueVoice } from './catalogue.ts';

// OpenAI's built-in voices (the API has no voice list). OpenAI publishes their names and which
// models take them, not a gender or an accent, so none is given here: listen to them in OpenAI's
// text-to-speech guide. They are tuned for English and follow the language of the text, so they
// are multilingual: any language filter lists them.

const NEWER = ['gpt-4o-mini-tts'];
const ALL = ['gpt-4o-mini-tts', 'tts-1', 'tts-1-hd'];
const v = (id: string, models: string[], description?: string): CatalogueVoice => ({ provider: 'openai', id, name: id, language: 'en', multilingual: true, models, ...(description ? { description } : {}) });

/** OpenAI's built-in voices and the models that take each. */
export const OPENAI_CATALOGUE: readonly CatalogueVoice[] = [
  v('alloy', ALL),
  v('ash', ALL),
  v('ballad', NEWER),
  v('coral', ALL),
  v('echo', ALL),
  v('fable', ALL),
  v('nova', ALL),
  v('onyx', ALL),
  v('sage', ALL),
  v('shimmer', ALL),
  v('verse', NEWER),
  v('marin', NEWER, 'recommended by OpenAI for the best quality'),
  v('cedar', NEWER, 'recommended by OpenAI for the best quality'),
];
