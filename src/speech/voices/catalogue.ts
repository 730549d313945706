import { CARTESIA_VOICES } from './cartesia.ts';
import { ELEVENLABS_VOICES } from './elevenlabs.ts';
import { FLITE_VOICES, KOKORO_CATALOGUE } from './local.ts';
import { OPENAI_CATALOGUE } from './openai.ts';

// Stock voices shipped with Parley as data, so a voice can be chosen by language, accent and
// gender without any key. The live lists (with a key) win where they exist; this is what the
// vendors published, with the source named in each file.

/** A provider's voice as the catalogue (or a live list) describes it. */
export interface CatalogueVoice {
  provider: 'elevenlabs' | 'cartesia' | 'openai' | 'local' | 'sherpa';
  /** What goes in agent.yaml's voice.voiceId. */
  id: string;
  name: string;
  /** The language the voice was made for (BCP-47 primary subtag). */
  language: string;
  /** Lower-case: american, british, australian, irish, scottish, indian, transatlantic… */
  accent?: string;
  gender?: 'female' | 'male' | 'neutral';
  age?: 'young' | 'middle-aged' | 'old';
  description?: string;
  /** It speaks other languages than the one it was made for: OpenAI's follow the text, ElevenLabs' do with its multilingual models. Any language filter lists it. */
  multilingual?: boolean;
  /** Models that take the voice, where the provider restricts it. */
  models?: string[];
}

/** Every catalogued voice. */
export const VOICE_CATALOGUE: readonly CatalogueVoice[] = [...ELEVENLABS_VOICES, ...CARTESIA_VOICES, ...OPENAI_CATALOGUE, ...FLITE_VOICES, ...KOKORO_CATALOGUE];

/** The catalogued voices of one provider. */
export function catalogueOf(provider: CatalogueVoice['provider']): CatalogueVoice[] {
  return VOICE_CATALOGUE.filter((v) => v.provider === provider);
}

/** The catalogued voice with this id (ids are unique across providers). */
export function catalogued(provider: CatalogueVoice['provider'], id: string): CatalogueVoice | undefined {
  return VOICE_CATALOGUE.find((v) => v.provider === provider && v.id === id);
}

/** What a caller of `parley voices` asks for; every field optional. */
export interface VoiceFilter {
  language?: string;
  accent?: string;
  gender?: string;
}

// Region subtags and everyday words that mean an accent.
const REGION_ACCENT: Record<string, string> = { gb: 'british', uk: 'british', us: 'american', au: 'australian', ie: 'irish', in: 'indian', mx: 'mexican', br: 'brazilian' };
const ACCENT_WORDS: Record<string, string> = { english: 'british', uk: 'british', 'en-gb': 'british', us: 'american', usa: 'american', 'en-us': 'american', aussie: 'australian', 'en-au': 'australian' };
const GENDER_WORDS: Record<string, 'female' | 'male' | 'neutral'> = { female: 'female', feminine: 'female', woman: 'female', f: 'female', male: 'male', masculine: 'male', man: 'male', m: 'male', neutral: 'neutral', 'non-binary': 'neutral', androgynous: 'neutral' };

/** The accent a word or a BCP-47 tag names ("British", "uk", "en-GB" → british). */
export function accentOf(word: string): string {
  const w = word.trim().toLowerCase().replace(/_/g, '-');
  const region = /^[a-z]{2,3}-([a-z]{2})$/.exec(w)?.[1];
  if (region && REGION_ACCENT[region]) return REGION_ACCENT[region];
  return ACCENT_WORDS[w] ?? w;
}

/** The gender a word names, or undefined when it is none Parley knows. */
export function genderOf(word: string): 'female' | 'male' | 'neutral' | undefined {
  return GENDER_WORDS[word.trim().toLowerCase()];
}

/** The voices matching every field of the filter. `language: en-GB` means English with a British accent; a multilingual voice matches any language. */
export function filterVoices<V extends { language?: string; multilingual?: boolean; accent?: string; gender?: string }>(voices: readonly V[], f: VoiceFilter): V[] {
  const [lang, region] = (f.language ?? '').toLowerCase().replace(/_/g, '-').split('-');
  const accent = f.accent ? accentOf(f.accent) : region && REGION_ACCENT[region];
  const gender = f.gender ? (genderOf(f.gender) ?? f.gender.toLowerCase()) : undefined;
  return voices.filter((v) => {
    if (lang && !v.multilingual && (v.language ?? '').toLowerCase().split('-')[0] !== lang) return false;
    if (accent && (v.accent ?? '').toLowerCase() !== accent) return false;
    if (gender && (genderOf(v.gender ?? '') ?? v.gender?.toLowerCase()) !== gender) return false;
    return true;
  });
}
