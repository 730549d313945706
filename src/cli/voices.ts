import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { vendorAccess } from '../speech/registry.ts';
import { cartesiaVoices } from '../speech/tts/cartesia.ts';
import { cloneElevenLabsVoice, elevenLabsVoices } from '../speech/tts/elevenlabs.ts';
import { createFliteTts } from '../speech/tts/flite.ts';
import { openAIVoices } from '../speech/tts/openai.ts';
import { SpeechUnavailableError, type VoiceInfo } from '../speech/types.ts';
import { bold, dim } from './output.ts';

// `parley voices list` shows the voice ids agent.yaml's `voice.voiceId` can take, per provider;
// `parley voices clone` makes an ElevenLabs instant clone and prints the id to paste in.
// Keys come from the environment; a provider without its key is skipped with a note.

const PROVIDERS = ['elevenlabs', 'cartesia', 'openai', 'local'] as const;
type Provider = (typeof PROVIDERS)[number];

/** A voice with the provider it belongs to. */
export type ListedVoice = VoiceInfo & { provider: Provider };

/** The voices of one provider; throws SpeechUnavailableError when its key or engine is missing. */
export async function voicesOf(provider: Provider, env: NodeJS.ProcessEnv, signal: AbortSignal = new AbortController().signal): Promise<ListedVoice[]> {
  const tag = (vs: VoiceInfo[]) => vs.map((v) => ({ provider, ...v }));
  switch (provider) {
    case 'elevenlabs':
      return tag(await elevenLabsVoices({ ...vendorAccess('elevenlabs', { env }, 'listing ElevenLabs voices'), signal }));
    case 'cartesia':
      return tag(await cartesiaVoices({ ...vendorAccess('cartesia', { env }, 'listing Cartesia voices'), signal }));
    case 'openai':
      return tag(openAIVoices()); // a fixed, documented set: no key needed to list it
    case 'local':
      return tag(await createFliteTts().voices(signal)); // `flite -lv`
  }
}

/** `parley voices list|clone`. */
export function command(): Command {
  const cmd = new Command('voices').description('list the voices of each speech provider; clone a voice on ElevenLabs');
  cmd
    .command('list')
    .description('stock, cloned and local voices, with the id to put in agent.yaml voice.voiceId')
    .option('--provider <name>', `only one provider: ${PROVIDERS.join(', ')}`)
    .option('--json', 'print JSON')
    .action(async (o: { provider?: string; json?: boolean }) => {
      if (o.provider && !PROVIDERS.includes(o.provider as Provider)) {
        console.error(`parley: unknown provider "${o.provider}"; use one of ${PROVIDERS.join(', ')}`);
        process.exit(2);
      }
      const wanted = o.provider ? [o.provider as Provider] : [...PROVIDERS];
      const all: ListedVoice[] = [];
      for (const provider of wanted) {
        try {
          all.push(...(await voicesOf(provider, process.env)));
        } catch (e) {
          if (!(e instanceof Error)) throw e;
          // Listing everything: a provider without a key is a note, not a failure.
          if (e instanceof SpeechUnavailableError && !o.provider) console.error(dim(`${provider}: skipped — ${e.message}`));
          else {
            console.error(`parley: ${provider}: ${e.message}`);
            process.exitCode = e instanceof SpeechUnavailableError ? 2 : 1;
          }
        }
      }
      if (o.json) return console.log(JSON.stringify(all, null, 2));
      let last: string | undefined;
      for (const v of all) {
        if (v.provider !== last) console.log(bold(`${v.provider}${v.provider === 'openai' ? dim(' (voiceId for openai:gpt-4o-mini-tts / tts-1)') : ''}`));
        last = v.provider;
        const about = [v.language, v.gender, v.kind === 'cloned' ? 'cloned' : ''].filter(Boolean).join(', ');
        console.log(`  ${v.id.padEnd(38)} ${v.name}${about ? dim(`  (${about})`) : ''}`);
      }
      if (!all.length && !process.exitCode) console.log('no voices found');
    });
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
