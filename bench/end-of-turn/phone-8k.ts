// How much does local:pocketsphinx hear of phone audio? Flite utterances (rms and slt voices)
// recognised as they are (16 kHz) and after the trip a phone call makes: down to 8 kHz, μ-law
// (Twilio Media Streams), back to 16 kHz with Parley's resampler (what the session feeds a
// recogniser that does not take 8 kHz). Prints word accuracy (1 − word error rate) for both.
//
//   node bench/end-of-turn/phone-8k.ts
import { concat, silence } from '../../src/audio/frame.ts';
import { mulawDecode, mulawEncode } from '../../src/audio/mulaw.ts';
import { createResampler } from '../../src/audio/resample.ts';
import { createPocketsphinxStt } from '../../src/speech/stt/pocketsphinx.ts';
import { FliteTts } from '../../src/speech/tts/flite.ts';

const SENTENCES = [
  'I would like to book a demo for next week',
  'how much does the audit cost',
  'my name is david miller',
  'can you send me the pricing by email',
  'we have about twenty people on the team',
  'what are your opening hours',
  'I want to cancel my appointment',
  'tuesday at three works for me',
];

async function say(text: string, voice: string): Promise<Int16Array> {
  const tts = new FliteTts();
  const out: Int16Array[] = [silence(500, tts.sampleRate)];
  async function* one() {
    yield text;
  }
  for await (const c of tts.speak(one(), { voice: { speed: 1, voiceId: voice }, signal: AbortSignal.timeout(30_000) })) out.push(c);
  out.push(silence(1000, tts.sampleRate));
  return concat(out);
}

function phoneTrip(pcm16k: Int16Array): Int16Array {
  const down = createResampler(16000, 8000)(pcm16k);
  const line = mulawDecode(mulawEncode(down));
  return createResampler(8000, 16000)(line);
}

async function hear(pcm: Int16Array): Promise<string> {
  const stream = createPocketsphinxStt().stream({ language: 'en', signal: AbortSignal.timeout(60_000) });
  const words: string[] = [];
  const reading = (async () => {
    for await (const e of stream) if (e.type === 'final') words.push(e.text);
  })();
  for (let i = 0; i < pcm.length; i += 320) stream.push(pcm.subarray(i, i + 320));
  stream.end();
  await reading;
  return words.join(' ');
}

/** Word error rate by edit distance over words. */
function wer(ref: string, hyp: string): number {
  const r = ref.toLowerCase().split(/\s+/).filter(Boolean);
  const h = hyp.toLowerCase().replace(/[^a-z' ]/g, ' ').split(/\s+/).filter(Boolean);
  const d = Array.from({ length: r.length + 1 }, (_, i) => [i, ...new Array<number>(h.length).fill(0)]);
  for (let j = 1; j <= h.length; j++) d[0]![j] = j;
  for (let i = 1; i <= r.length; i++)
    for (let j = 1; j <= h.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (r[i - 1] === h[j - 1] ? 0 : 1));
  return d[r.length]![h.length]! / r.length;
}

let wide = 0;
let phone = 0;
let n = 0;
for (const voice of ['rms', 'slt']) {
  for (const text of SENTENCES) {
    const pcm = await say(text, voice);
    const [a, b] = [await hear(pcm), await hear(phoneTrip(pcm))];
    wide += wer(text, a);
    phone += wer(text, b);
    n++;
    console.log(`${voice} | ${text} | 16k: ${a} | 8k μ-law: ${b}`);
  }
}
const acc = (w: number) => Math.max(0, 100 * (1 - w / n)).toFixed(0);
console.log(`\nlocal:pocketsphinx word accuracy over ${n} flite utterances: ${acc(wide)} % at 16 kHz, ${acc(phone)} % after 8 kHz μ-law`);
console.log(JSON.stringify({ utterances: n, accuracy16k: Number(acc(wide)), accuracy8kMulaw: Number(acc(phone)) }));
