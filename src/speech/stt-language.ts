// Which language each recogniser is asked for, from persona.language (BCP-47), and when it cannot
// do that language at all. `parley check` prints the warnings; the engines put `wire` on the wire.

/** Deepgram's codes that keep their region (its models-and-languages list); any other tag is sent as its language alone (pl-PL → pl). */
const DEEPGRAM_REGIONAL = new Set(['en-us', 'en-gb', 'en-au', 'en-in', 'en-nz', 'es-419', 'fr-ca', 'pt-br', 'pt-pt', 'sv-se', 'da-dk', 'ko-kr', 'nl-be', 'de-ch', 'zh-cn', 'zh-tw', 'zh-hk', 'zh-hans', 'zh-hant', 'th-th', 'hi-latn']);

/** The languages OpenAI's transcription models take (Whisper's ISO-639-1 codes). */
const WHISPER = new Set(
  'en zh de es ru ko fr ja pt tr pl ca nl ar sv it id hi fi vi he uk el ms cs ro da hu ta no th ur hr bg lt la mi ml cy sk te fa lv bn sr az sl kn et mk br eu is hy ne mn bs kk sq sw gl mr pa si km sn yo so af oc ka be tg sd gu am yi lo uz fo ht ps tk nn mt sa lb my bo tl mg as tt haw ln ha ba jw su yue'.split(' '),
);

/** The `language=` Deepgram is sent for a BCP-47 tag: en-GB stays en-GB, pl-PL becomes pl. */
export function deepgramLanguage(tag: string): string {
  const t = tag.trim();
  const [primary, ...rest] = t.split(/[-_]/);
  if (!rest.length) return primary.toLowerCase();
  const regional = `${primary.toLowerCase()}-${rest.join('-')}`;
  const known = [...DEEPGRAM_REGIONAL].find((c) => c === regional.toLowerCase());
  if (!known) return primary.toLowerCase();
  // Deepgram writes regions in capitals (en-GB) and scripts and 419 as they are (zh-Hans, es-419).
  const [p, r] = known.split('-');
  return `${p}-${r.length === 2 ? r.toUpperCase() : r === 'hans' || r === 'hant' || r === 'latn' ? r[0].toUpperCase() + r.slice(1) : r}`;
}

/** The `language` OpenAI transcription is sent: the ISO-639-1 part of the tag (en-GB → en). */
export function openaiLanguage(tag: string): string {
  return tag.trim().split(/[-_]/)[0].toLowerCase();
}

const isEnglish = (tag: string) => /^en(?:$|[-_])/i.test(tag.trim());
const isUsEnglish = (tag: string) => /^en(?:[-_]us)?$/i.test(tag.trim());

/**
 * Deepgram models that know only English, per Deepgram's models-and-languages list: Nova-2's
 * domain options are listed for `en` and `en-US` alone (`us`); nova-3-medical and flux-general-en
 * for English (`en`). Every other Deepgram model takes the tag as deepgramLanguage writes it.
 */
function deepgramEnglishOnly(model: string): 'us' | 'en' | undefined {
  const m = model.toLowerCase();
  if (/^nova-2-(?:meeting|phonecall|finance|conversationalai|voicemail|video|medical|drivethru|automotive|atc)$/.test(m)) return 'us';
  if (m === 'nova-3-medical' || m === 'flux-general-en') return 'en';
  return undefined;
}

function deepgramWire(spec: string, model: string, tag: string): { wire: string; warning?: string } {
  const wire = deepgramLanguage(tag);
  const only = deepgramEnglishOnly(model);
  if (!only) return { wire };
  if (!isEnglish(tag)) {
    const instead = /^flux/i.test(model) ? 'deepgram:flux-general-multi or deepgram:nova-3' : 'deepgram:nova-3 (or deepgram:nova-2 where nova-3 lacks it)';
    return { wire, warning: `${spec} knows only English and cannot recognise ${tag}: the call would fail; use ${instead} (language=${wire})` };
  }
  if (only === 'us' && !isUsEnglish(tag)) {
    // Deepgram refuses a language its model does not list, so the call goes out as plain `en`
    return { wire: 'en', warning: `${spec} is US English only (Deepgram lists en and en-US for it): ${tag} callers are heard by a US English model (sent language=en); for ${tag} use deepgram:nova-3 (language=${wire})` };
  }
  return { wire };
}

/** What the recogniser `spec` hears for persona.language `tag`, and a warning when it cannot do that language. */
export function sttLanguage(spec: string, tag: string): { wire?: string; warning?: string } {
  const [provider, ...rest] = spec.split(':');
  const model = rest.join(':');
  switch (provider.toLowerCase()) {
    case 'deepgram':
      return deepgramWire(spec, model, tag);
    case 'openai': {
      const wire = openaiLanguage(tag);
      return WHISPER.has(wire) ? { wire } : { wire, warning: `${spec} has no "${wire}" (persona.language ${tag}): OpenAI transcription takes Whisper's languages; choose deepgram:nova-3 or another language` };
    }
    case 'local':
      if (model === 'pocketsphinx' && !isUsEnglish(tag)) {
        return {
          warning: isEnglish(tag)
            ? `local:pocketsphinx is US English only (pocketsphinx-en-us): ${tag} callers are heard by a US English model; for ${tag} use deepgram:nova-3 (language=${deepgramLanguage(tag)})`
            : `local:pocketsphinx is US English only (pocketsphinx-en-us) and cannot recognise ${tag}: the call would fail; use deepgram:nova-3 or openai:gpt-4o-mini-transcribe`,
        };
      }
      if (model === 'best' && !isEnglish(tag)) return { warning: `local:best picks an installed local recogniser, and pocketsphinx and the .en models are English only: ${tag} may not be recognised; name a multilingual sherpa model or a cloud recogniser` };
      return {};
    case 'sherpa':
      if (/[._-]en(?:[._-]|$)/i.test(model) && !isEnglish(tag)) return { warning: `${spec} is an English-only model and cannot recognise ${tag}; pull a multilingual model or use a cloud recogniser` };
      return {};
    default:
      return {};
  }
}
