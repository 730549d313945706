import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { vendorAccess, VENDORS } from '../speech/registry.ts';
import { cartesiaVoices } from '../speech/tts/cartesia.ts';
import { cloneElevenLabsVoice, elevenLabsVoices } from '../speech/tts/elevenlabs.ts';
import { createFliteTts } from '../speech/tts/flite.ts';
import { SpeechUnavailableError, type VoiceInfo } from '../speech/types.ts';
import { catalogued, catalogueOf, filterVoices, genderOf, type CatalogueVoice } from '../speech/voices/catalogue.ts';
import { bold, dim } from './output.ts';

// `parley voices` shows the voice ids agent.yaml's `voice.voiceId` can take, per provider, and
// finds one by language, accent and gender. Without a key (or with --offline) it answers from
// the catalogue shipped with Parley (src/speech/voices/); with the key, from the provider's live
// list (cloned voices included), labelled from the catalogue where the provider gives less.
// `parley voices clone` makes an ElevenLabs instant clone and prints the id to paste in.

const PROVIDERS = ['elevenlabs', 'cartesia', 'openai', 'local', 'sherpa'] as const;
type Provider = (typeof PROVIDERS)[number];

/** A voice with the provider it belongs to and where the answer came from. */
export type ListedVoice = Omit<VoiceInfo, 'gender'> & Partial<Pick<CatalogueVoice, 'age' | 'models' | 'multilingual'>> & { provider: Provider; gender?: string; source: 'catalogue' | 'account' | 'installed' };

const fromCatalogue = (provider: Provider): ListedVoice[] =>
  catalogueOf(provider).map(({ provider: _p, ...v }) => ({ provider, ...v, kind: provider === 'local' || provider === 'sherpa' ? 'local' : 'stock', source: 'catalogue' }));

/** A live voice, with what the catalogue knows of it where the provider said nothing. */
function labelled(provider: Provider, v: VoiceInfo, source: ListedVoice['source']): ListedVoice {
  const c = catalogued(provider, v.id);
  const gender = v.gender ? (genderOf(v.gender) ?? v.gender) : c?.gender;
  // Every ElevenLabs voice, cloned ones too, speaks the multilingual models' languages.
  const multilingual = provider === 'elevenlabs' || c?.multilingual;
  return { provider, ...c, ...v, ...(gender ? { gender } : {}), ...(c?.accent && !v.accent ? { accent: c.accent } : {}), ...(multilingual ? { multilingual } : {}), source } as ListedVoice;
}

/** The voices of one provider, and a note when they came from the catalogue for want of a key. */
export async function voicesOf(provider: Provider, env: NodeJS.ProcessEnv, o: { offline?: boolean; signal?: AbortSignal } = {}): Promise<{ voices: ListedVoice[]; note?: string }> {
  const signal = o.signal ?? new AbortController().signal;
  if (provider === 'openai' || provider === 'sherpa' || o.offline) return { voices: fromCatalogue(provider) };
  if (provider === 'local') return { voices: (await createFliteTts().voices(signal)).map((v) => labelled('local', v, 'installed')) };
  const key = VENDORS[provider].key;
  if (!env[key]) return { voices: fromCatalogue(provider), note: `${provider}: no ${key} here, so these are the stock voices from Parley's catalogue; set it to list the account's own voices too` };
  const access = vendorAccess(provider, { env }, `listing ${provider === 'elevenlabs' ? 'ElevenLabs' : 'Cartesia'} voices`);
  const live = provider === 'elevenlabs' ? await elevenLabsVoices({ ...access, signal }) : await cartesiaVoices({ ...access, signal });
  return { voices: live.map((v) => labelled(provider, v, 'account')) };
}

interface ListOptions {
  provider?: string;
  language?: string;
  accent?: string;
  gender?: string;
  offline?: boolean;
  json?: boolean;
}

async function list(o: ListOptions): Promise<void> {
  if (o.provider && !PROVIDERS.includes(o.provider as Provider)) {
    console.error(`parley: unknown provider "${o.provider}"; use one of ${PROVIDERS.join(', ')}`);
    process.exit(2);
  }
  if (o.gender && !genderOf(o.gender)) {
    console.error(`parley: unknown gender "${o.gender}"; use female, male or neutral`);
    process.exit(2);
  }
  const wanted = o.provider ? [o.provider as Provider] : [...PROVIDERS];
  const all: ListedVoice[] = [];
  for (const provider of wanted) {
    try {
      const r = await voicesOf(provider, process.env, { offline: o.offline });
      if (r.note) console.error(dim(r.note));
      all.push(...r.voices);
    } catch (e) {
      if (!(e instanceof Error)) throw e;
      // Listing everything: a provider that cannot answer is a note, not a failure.
      if (e instanceof SpeechUnavailableError && !o.provider) console.error(dim(`${provider}: skipped — ${e.message}`));
      else {
        console.error(`parley: ${provider}: ${e.message}`);
        process.exitCode = e instanceof SpeechUnavailableError ? 2 : 1;
      }
    }
  }
  const shown = filterVoices(all, o);
  if (o.json) return console.log(JSON.stringify(shown, null, 2));
  let last: string | undefined;
  for (const v of shown) {
    if (v.provider !== last) console.log(bold(v.provider) + dim(heading(v.provider, v.source)));
    last = v.provider;
    const about = [v.multilingual ? 'multilingual' : v.language, v.accent, v.gender, v.age, v.kind === 'cloned' ? 'cloned' : '', v.models && v.models.length < 3 ? `only ${v.models.join(', ')}` : ''].filter(Boolean).join(', ');
    console.log(`  ${v.id.padEnd(38)} ${v.name}${about ? dim(`  (${about})`) : ''}`);
  }
  if (!shown.length && !process.exitCode) {
    const asked = [o.language && `language ${o.language}`, o.accent && `accent ${o.accent}`, o.gender && `gender ${o.gender}`].filter(Boolean);
    console.log(asked.length ? `no voices with ${asked.join(', ')}${o.provider ? ` from ${o.provider}` : ''}; drop a filter, or try another provider` : 'no voices found');
  }
}

const heading = (provider: Provider, source: ListedVoice['source']): string =>
  ({ elevenlabs: ' (voice.tts: elevenlabs:<model>; multilingual with eleven_flash_v2_5, eleven_turbo_v2_5, eleven_multilingual_v2)', cartesia: ' (voice.tts: cartesia:<model>)', openai: ' (voice.tts: openai:gpt-4o-mini-tts or openai:tts-1)', local: ' (voice.tts: local:flite)', sherpa: ' (voice.tts: sherpa:<a pulled Kokoro model>)' })[provider] +
  (source === 'catalogue' && (provider === 'elevenlabs' || provider === 'cartesia') ? ' — from the catalogue' : '');

/** `parley voices [list]|clone`. */
export function command(): Command {
  const cmd = new Command('voices').description('find a voice for voice.voiceId by language, accent and gender (no key needed); clone a voice on ElevenLabs');
  const listing = (c: Command) =>
    c
      .option('--provider <name>', `only one provider: ${PROVIDERS.join(', ')}`)
      .option('--language <tag>', 'only voices that speak this language (multilingual ones always): en, de, or en-GB (English with a British accent)')
      .option('--accent <accent>', 'only this accent: british, american, australian, irish, scottish, indian…')
      .option('--gender <gender>', 'only female, male or neutral voices')
      .option('--offline', 'answer from the catalogue shipped with Parley, even where a key is set')
      .option('--json', 'print JSON')
      .action(list);
  listing(cmd.command('list', { isDefault: true }).description('stock, cloned and local voices, with the id to put in agent.yaml voice.voiceId'));
  cmd
    .command('clone')
    .description('make an ElevenLabs instant voice clone from recordings and print its voice id')
    .requiredOption('--name <name>', 'name of the new voice')
    .option('--description <text>', 'a few words about the voice')
    .option('--model <model_id>', 'ElevenLabs model for the agent.yaml snippet', 'eleven_flash_v2_5')
    .argument('<files...>', 'audio recordings (wav, mp3, m4a…) of the voice; a minute or more in total works best')
    .action(async (files: string[], o: { name: string; description?: string; model: string }) => {
      const missing = files.filter((f) => !existsSync(f));
      if (missing.length) {
        console.error(`parley: no such file: ${missing.join(', ')}`);
        process.exit(2);
      }
      try {
        const access = vendorAccess('elevenlabs', { env: process.env }, 'voice cloning');
        const r = await cloneElevenLabsVoice({ ...access, name: o.name, description: o.description, files });
        console.log(`cloned "${o.name}": voice id ${bold(r.voiceId)}`);
        if (r.requiresVerification) console.log('ElevenLabs asks you to verify this voice in its dashboard before it can be used.');
        console.log(`\nput it in agent.yaml:\n\nvoice:\n  tts: elevenlabs:${o.model}\n  voiceId: ${r.voiceId}`);
      } catch (e) {
        if (!(e instanceof Error)) throw e;
        console.error(`parley: ${e.message}`);
        process.exit(e instanceof SpeechUnavailableError ? 2 : 1);
      }
    });
  return cmd;
}
