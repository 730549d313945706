// bench/end-of-turn: how well does turn-taking know when a caller is done? Speaks ≥ 200 labelled
// caller turns (flite and espeak-ng voices at several rates, real silences inside and after),
// runs the real VAD (Silero) and the real recogniser (pocketsphinx, fed in real time) once per
// utterance, then plays each timeline into the real TurnTaking under many settings: today's fixed
// delays and the text end-of-turn detector. Reports, per setting, the share of turns cut off
// before the caller finished and the mean delay after they finished.
//
//   node bench/end-of-turn/run.ts [--jobs 3] [--fresh] [--limit N] [--json FILE] [--vad gated|silero]
// --vad: whose speech-end turn-taking gets — the noise gate in front of Silero (default; what the
// server runs: it ends speech once the audio has stayed under the gate for the minimum silence)
// or Silero alone (the measurements before 2026-12-06 18:00).
//
// The timelines are cached in bench/end-of-turn/.cache (keyed by text, voice and pauses), so a
// second run only replays (seconds). --fresh re-speaks and re-listens.
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { TurnSettings } from '../../src/session/voice/turn-taking.ts';
import { englishVerdict } from '../../src/session/voice/text-end-of-turn.ts';
import { CORPUS } from './corpus.ts';
import { pocketsphinxFinals, voiceActivity, type Observed } from './observe.ts';
import { replay, type Hearing, type Outcome } from './replay.ts';
import { plan, speak, type Utterance } from './synth.ts';

const { values: args } = parseArgs({ options: { jobs: { type: 'string', default: '3' }, fresh: { type: 'boolean', default: false }, limit: { type: 'string' }, json: { type: 'string' }, vad: { type: 'string', default: 'gated' } } });
const CACHE = join(import.meta.dirname, '.cache');

type Case = Omit<Utterance, 'pcm'> & { seen: Observed };

async function observeAll(): Promise<Case[]> {
  await mkdir(CACHE, { recursive: true });
  let planned = plan(CORPUS);
  if (args.limit) planned = planned.slice(0, Number(args.limit));
  const out: Case[] = new Array(planned.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < planned.length) {
      const i = next++;
      const p = planned[i]!;
      const key = createHash('sha256').update(JSON.stringify([p.turn.text, p.voice, p.pausesMs, 'v2'])).digest('hex').slice(0, 16);
      const file = join(CACHE, `${p.id}-${key}.json`);
      if (!args.fresh) {
        try {
          out[i] = JSON.parse(await readFile(file, 'utf8')) as Case;
          done++;
          continue;
        } catch {}
      }
      const u = await speak(p);
      const seen: Observed = { vad: voiceActivity(u), gatedVad: voiceActivity(u, 'gated'), sphinx: await pocketsphinxFinals(u) };
      const { pcm: _pcm, ...rest } = u;
      out[i] = { ...rest, seen };
      await writeFile(file, JSON.stringify(out[i]));
      done++;
      if (done % 10 === 0) process.stderr.write(`  listened to ${done}/${planned.length}\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Number(args.jobs)) }, worker));
  return out;
}

const BASE: TurnSettings = { minEndpointingDelayMs: 500, maxEndpointingDelayMs: 3000, minInterruptionMs: 500, minInterruptionWords: 1, backchannels: [], falseInterruptionTimeoutMs: 1500 };

interface Row {
  detector: 'fixed' | 'text';
  quick: number;
  min: number;
  max: number;
  cutOffPct: number;
  meanDelayMs: number;
  p50: number;
  p90: number;
  unheard: number;
}

function score(cases: Case[], hearing: Hearing, s: TurnSettings): { row: Omit<Row, 'detector' | 'quick' | 'min' | 'max'>; outcomes: Outcome[] } {
  const outcomes = cases.map((c) => replay(c, c.seen, hearing, s));
  const decided = outcomes.filter((o) => o.turnAtMs !== null);
  const delays = decided.filter((o) => !o.cutOff).map((o) => o.delayMs!).sort((a, b) => a - b);
  const pct = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))] ?? NaN;
  return {
    row: {
      cutOffPct: (100 * decided.filter((o) => o.cutOff).length) / Math.max(1, decided.length),
      meanDelayMs: delays.reduce((a, b) => a + b, 0) / Math.max(1, delays.length),
      p50: pct(0.5),
      p90: pct(0.9),
      unheard: outcomes.length - decided.length,
    },
    outcomes,
  };
}

function sweep(cases: Case[], hearing: Hearing): Row[] {
  const rows: Row[] = [];
  for (const min of [300, 500, 750, 1000, 1250, 1500, 2000, 2500, 3000]) {
    const s = { ...BASE, detector: 'fixed' as const, minEndpointingDelayMs: min, maxEndpointingDelayMs: Math.max(3000, min) };
    rows.push({ detector: 'fixed', quick: min, min, max: s.maxEndpointingDelayMs, ...score(cases, hearing, s).row });
  }
  for (const quick of [0, 150, 300])
    for (const min of [300, 500, 750, 1000, 1500])
      for (const max of [2000, 3000]) {
        const s = { ...BASE, detector: 'text' as const, quickEndpointingDelayMs: quick, minEndpointingDelayMs: min, maxEndpointingDelayMs: max };
        rows.push({ detector: 'text', quick, min, max, ...score(cases, hearing, s).row });
      }
  return rows;
}

const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toString() : '–');
const f1 = (n: number) => n.toFixed(1);

function table(rows: Row[]): string {
  const lines = ['| detector | quick / min / max ms | cut off early | mean delay | p50 | p90 | nothing heard |', '|---|---|---|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.detector} | ${r.detector === 'fixed' ? `– / ${r.min} / ${r.max}` : `${r.quick} / ${r.min} / ${r.max}`} | ${f1(r.cutOffPct)} % | ${f0(r.meanDelayMs)} ms | ${f0(r.p50)} | ${f0(r.p90)} | ${r.unheard} |`);
  return lines.join('\n');
}

/** The goal's two comparisons against today's setting (fixed 500 / 3000). */
function compare(rows: Row[], chosen: Row): string[] {
  const today = rows.find((r) => r.detector === 'fixed' && r.min === 500)!;
  const fixed = rows.filter((r) => r.detector === 'fixed');
  const text = rows.filter((r) => r.detector === 'text');
  const out = [`today (fixed 500/3000): ${f1(today.cutOffPct)} % cut off, ${f0(today.meanDelayMs)} ms mean delay`];
  out.push(`text ${chosen.quick}/${chosen.min}/${chosen.max} (the default): ${f1(chosen.cutOffPct)} % cut off, ${f0(chosen.meanDelayMs)} ms mean delay`);
  // Same false cut-off rate: the fastest fixed setting that cuts off no more than the text detector.
  const fixedAtSameCut = fixed.filter((r) => r.cutOffPct <= chosen.cutOffPct + 1e-9).sort((a, b) => a.meanDelayMs - b.meanDelayMs)[0];
  if (fixedAtSameCut) out.push(`at the same cut-off rate: fixed needs min ${fixedAtSameCut.min} ms → ${f1(fixedAtSameCut.cutOffPct)} % cut off, ${f0(fixedAtSameCut.meanDelayMs)} ms; text saves ${f1(100 * (1 - chosen.meanDelayMs / fixedAtSameCut.meanDelayMs))} % of the delay`);
  else out.push(`at the same cut-off rate: no fixed setting cuts off as few as ${f1(chosen.cutOffPct)} % (the best is ${f1(Math.min(...fixed.map((r) => r.cutOffPct)))} %)`);
  // Same delay: the text setting with the fewest cut-offs whose mean delay is no more than today's.
  const textAtSameDelay = text.filter((r) => r.meanDelayMs <= today.meanDelayMs).sort((a, b) => a.cutOffPct - b.cutOffPct || a.meanDelayMs - b.meanDelayMs)[0];
  if (textAtSameDelay) out.push(`at today's delay or less: text ${textAtSameDelay.quick}/${textAtSameDelay.min}/${textAtSameDelay.max} → ${f1(textAtSameDelay.cutOffPct)} % cut off (today ${f1(today.cutOffPct)} %), ${f0(textAtSameDelay.meanDelayMs)} ms`);
  return out;
}

function byKind(cases: Case[], hearing: Hearing, s: TurnSettings): string {
  const { outcomes } = score(cases, hearing, s);
  const kinds = [...new Set(cases.map((c) => c.turn.kind))];
  return kinds
    .map((k) => {
      const os = outcomes.filter((_, i) => cases[i]!.turn.kind === k && outcomes[i]!.turnAtMs !== null);
      const ok = os.filter((o) => !o.cutOff);
      return `${k} ${os.filter((o) => o.cutOff).length}/${os.length} cut, ${f0(ok.reduce((a, o) => a + o.delayMs!, 0) / Math.max(1, ok.length))} ms`;
    })
    .join('; ');
}

/** The detector's own cost: µs per decision over the corpus's texts and their prefixes. */
function detectorCost(): { perDecisionUs: number; decisions: number } {
  const texts = CORPUS.flatMap((t) => {
    const ws = t.text.replace(/\|/g, ' ').split(/\s+/).filter(Boolean);
    return ws.map((_, i) => ws.slice(0, i + 1).join(' '));
  });
  for (let i = 0; i < 3; i++) for (const t of texts) englishVerdict(t);
  const rounds = 50;
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) for (const t of texts) englishVerdict(t);
  const ms = performance.now() - t0;
  return { perDecisionUs: (ms * 1000) / (rounds * texts.length), decisions: rounds * texts.length };
}

if (args.vad !== 'gated' && args.vad !== 'silero') throw new Error(`--vad is gated or silero, not ${args.vad}`);
const cases = (await observeAll()).map((c) => (args.vad === 'gated' ? { ...c, seen: { ...c.seen, vad: c.seen.gatedVad! } } : c));
const result: Record<string, unknown> = { utterances: cases.length, texts: new Set(cases.map((c) => c.turn.text)).size };
result.vad = args.vad;
console.log(`# end of turn: ${cases.length} caller turns (${result.texts} texts; ${cases.filter((c) => c.pieces.length > 1).length} with pauses inside), speech-end from ${args.vad === 'gated' ? 'the noise gate and Silero' : 'Silero alone'}\n`);
const cost = detectorCost();
console.log(`text detector: ${cost.perDecisionUs.toFixed(2)} µs per decision (${cost.decisions} decisions)\n`);
result.detector = cost;
const DEFAULT_TEXT = { quick: 150, min: 500, max: 3000 };
for (const hearing of ['pocketsphinx', 'true'] as const) {
  const rows = sweep(cases, hearing);
  const chosen = rows.find((r) => r.detector === 'text' && r.quick === DEFAULT_TEXT.quick && r.min === DEFAULT_TEXT.min && r.max === DEFAULT_TEXT.max)!;
  console.log(`## heard by ${hearing === 'true' ? 'the true words (stand-in for a good cloud recogniser)' : 'pocketsphinx (local, real time)'}\n`);
  console.log(table(rows));
  console.log('');
  for (const line of compare(rows, chosen)) console.log(`- ${line}`);
  console.log(`- by kind, today: ${byKind(cases, hearing, { ...BASE, detector: 'fixed' })}`);
  console.log(`- by kind, text default: ${byKind(cases, hearing, { ...BASE, detector: 'text', quickEndpointingDelayMs: DEFAULT_TEXT.quick })}\n`);
  result[hearing] = { rows, comparison: compare(rows, chosen) };
}
if (args.json) await writeFile(args.json, JSON.stringify(result, null, 2));
console.log(JSON.stringify({ utterances: cases.length, detectorUs: Number(cost.perDecisionUs.toFixed(2)) }));
