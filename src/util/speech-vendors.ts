// The cloud speech vendors and the environment variables that configure each: shared by the
// speech registry (which reads them) and `parley init` (which lists them in .env.example).

/** Per vendor: the variable holding its API key, and the one pointing it at another server. */
export const SPEECH_VENDORS = {
  deepgram: { key: 'DEEPGRAM_API_KEY', base: 'DEEPGRAM_BASE_URL' },
  openai: { key: 'OPENAI_API_KEY', base: 'OPENAI_BASE_URL' },
  elevenlabs: { key: 'ELEVENLABS_API_KEY', base: 'ELEVENLABS_BASE_URL' },
  cartesia: { key: 'CARTESIA_API_KEY', base: 'CARTESIA_BASE_URL' },
} as const;

/** The key variable a `provider:model` speech spec needs, or undefined for local engines. */
export function speechKeyOf(spec: string): string | undefined {
  const provider = spec.slice(0, spec.indexOf(':') < 0 ? spec.length : spec.indexOf(':')).toLowerCase();
  return Object.hasOwn(SPEECH_VENDORS, provider) ? SPEECH_VENDORS[provider as keyof typeof SPEECH_VENDORS].key : undefined;
}
