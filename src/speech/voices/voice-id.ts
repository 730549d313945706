import { catalogueOf, type CatalogueVoice } from './catalogue.ts';

// Whether a voice.voiceId can be right for its provider, decided only where the answer is
// certain: a stock voice's name written in place of its id, or an id of the wrong shape
// (ElevenLabs ids are 20 letters and digits, Cartesia's are UUIDs, OpenAI and flite have fixed
// sets). A well-shaped id not in the catalogue may be a cloned voice and is never questioned.

const SHAPES: Partial<Record<CatalogueVoice['provider'], { re: RegExp; what: string }>> = {
  elevenlabs: { re: /^[A-Za-z0-9]{20}$/, what: 'an ElevenLabs voice id is 20 letters and digits' },
  cartesia: { re: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, what: 'a Cartesia voice id is a UUID' },
};

/** What is wrong with a voiceId for the voice.tts provider; undefined when it may be right. */
export function voiceIdProblem(tts: string, voiceId: string): string | undefined {
  const provider = tts.split(':')[0]?.toLowerCase();
  const model = tts.slice(tts.indexOf(':') + 1);
  const list = `parley voices --provider ${provider}`;
  if (provider === 'elevenlabs' || provider === 'cartesia') {
    const shape = SHAPES[provider]!;
    if (shape.re.test(voiceId)) return undefined;
    const byName = catalogueOf(provider).filter((v) => v.name.toLowerCase() === voiceId.trim().toLowerCase());
    const hint = byName.length ? `; did you mean ${byName.map((v) => `${v.id} (${v.name})`).join(' or ')}?` : `; \`${list}\` lists them`;
    return `"${voiceId}" is not a voice id: ${shape.what}${hint}`;
  }
  if (provider === 'openai') {
    const known = catalogueOf('openai');
    const v = known.find((k) => k.id === voiceId.toLowerCase());
    if (!v) return `OpenAI has no voice "${voiceId}"; use one of ${known.map((k) => k.id).join(', ')}`;
    if (v.id !== voiceId) return `OpenAI voice names are lower-case: "${v.id}"`;
    if (v.models && model && model !== 'openai' && !v.models.includes(model)) return `OpenAI's ${model} has no voice "${voiceId}"; ${voiceId} needs ${v.models.join(' or ')}`;
    return undefined;
  }
  if (provider === 'local' && model === 'flite') {
    if (/\.flitevox$/i.test(voiceId) || voiceId.includes('/')) return undefined;
    const known = catalogueOf('local');
    if (known.some((k) => k.id === voiceId) || voiceId === 'awb_time') return undefined;
    return `flite has no built-in voice "${voiceId}"; use one of ${known.map((k) => k.id).join(', ')}, or a .flitevox file`;
  }
  return undefined;
}
