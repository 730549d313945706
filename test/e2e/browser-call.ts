import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { concat, silence } from '../../src/audio/frame.ts';
import { encodeWav } from '../../src/audio/wav.ts';
import { tempDir } from '../helpers/cli.ts';
import { spoken } from '../speech/spoken.ts';

// What the browser-call tests share: Debian's Chromium with a fake microphone that plays a
// caller's question (flite) after a long silence, the test agent "ada" speaking through flite and
// listening with pocketsphinx, and page scripts that block WebRTC's network or WebCodecs.

export const CHROMIUM = '/usr/lib/chromium/chromium';
export const GREETING = 'Hi, this is Ada from the test shop. How can I help?';
export const ANSWER = 'The automation audit costs two thousand four hundred euros.';
const FLAGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Gives every RTCPeerConnection only relayed candidates, with no relay: ICE cannot connect (as behind a firewall that drops UDP). */
export const BLOCK_UDP = `(() => { const P = window.RTCPeerConnection; window.RTCPeerConnection = function (config) { return new P({ ...config, iceServers: [], iceTransportPolicy: 'relay' }); }; window.RTCPeerConnection.prototype = P.prototype; })()`;
/** A browser without WebCodecs: the socket carries PCM. */
export const NO_WEBCODECS = `(() => { delete window.AudioEncoder; delete window.AudioDecoder; })()`;

/** agent.yaml of the test agent "ada": flite voice, pocketsphinx ears, `extra` lines appended (channels…). */
export function adaAgentYaml(extra: string[] = []): string {
  return [
    'name: ada',
    'persona:',
    '  prompt: You are Ada, the assistant of a test shop.',
    `  firstMessage: ${GREETING}`,
    'knowledge: { sources: [], strict: false }',
    'voice: { tts: "local:flite" }',
    // silenceReprompt past the microphone's 16 s of opening silence: otherwise a fast set-up hears "are you still there?" first.
    'listen: { stt: "local:pocketsphinx", silenceReprompt: 40, silenceEnd: 60, turn: { minEndpointingDelayMs: 400, maxEndpointingDelayMs: 1500 } }',
    ...extra,
    '',
  ].join('\n');
}

/**
 * Chromium whose microphone says "How much does the automation audit cost?" after 16 s of silence
 * — set-up and the greeting (~4 s) are over before the caller speaks, even on a loaded machine.
 */
export async function launchWithCaller(): Promise<Browser> {
  const question = await spoken('How much does the automation audit cost?', { beforeMs: 0, afterMs: 0 });
  const wav = join(tempDir('parley-e2e-mic-'), 'caller.wav');
  writeFileSync(wav, encodeWav(concat([silence(16_000, 16000), question.pcm, silence(5000, 16000)]), { sampleRate: 16000 }));
  return chromium.launch({ executablePath: CHROMIUM, args: [...FLAGS, `--use-file-for-fake-audio-capture=${wav}%noloop`] });
}
