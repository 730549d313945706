import { formatLatency } from './expectations.ts';
import type { ScenarioRun } from './result.ts';

// What `parley test` prints: one line per scenario, and for a failure every expectation that
// did not hold (as file:line:column field: message, so an editor can jump to it) followed by
// the part of the transcript it is about, the failing turn marked. In voice mode every caller
// turn shows what was said beside what the agent heard, and every answer its latency.

/** All runs of one scenario (several with --repeat). */
export interface ScenarioOutcome {
  name: string;
  file: string;
  runs: ScenarioRun[];
}

/** The whole result of `parley test`. */
export interface TestReport {
  agent: string;
  version: string;
  repeat: number;
  outcomes: ScenarioOutcome[];
  durationMs: number;
}

/** A scenario's standing over its runs. */
export interface OutcomeSummary {
  status: 'passed' | 'failed' | 'skipped';
  /** Runs that ran (not skipped) and passed. */
  passed: number;
  ran: number;
  /** passed / ran, or null when nothing ran. */
  passRate: number | null;
}

/** Text styling; plain by default, the CLI passes terminal colours. */
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
}

const PLAIN: Style = { bold: (s) => s, dim: (s) => s, red: (s) => s, green: (s) => s };

/** ANSI styling when stdout is a terminal (and NO_COLOR is not set); plain otherwise. */
export function terminalStyle(): Style {
  if (!process.stdout.isTTY || process.env.NO_COLOR) return PLAIN;
  const sgr = (on: number, off: number) => (s: string) => `\x1b[${on}m${s}\x1b[${off}m`;
  return { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39) };
}

/** Passed when every run that ran passed; skipped when none ran. */
export function summarize(o: ScenarioOutcome): OutcomeSummary {
  const ran = o.runs.filter((r) => r.status !== 'skipped');
  const passed = ran.filter((r) => r.status === 'passed').length;
  const status = !ran.length ? 'skipped' : passed === ran.length ? 'passed' : 'failed';
  return { status, passed, ran: ran.length, passRate: ran.length ? passed / ran.length : null };
}

/** Counts over every scenario of a report. */
export function totals(report: TestReport): { scenarios: number; passed: number; failed: number; skipped: number; runs: number; passRate: number | null } {
  const s = report.outcomes.map(summarize);
  const ran = s.reduce((n, x) => n + x.ran, 0);
  return {
    scenarios: s.length,
    passed: s.filter((x) => x.status === 'passed').length,
    failed: s.filter((x) => x.status === 'failed').length,
    skipped: s.filter((x) => x.status === 'skipped').length,
    runs: ran,
    passRate: ran ? s.reduce((n, x) => n + x.passed, 0) / ran : null,
  };
}

/** The readable report. */
export function formatReport(report: TestReport, style: Style = PLAIN): string {
  const lines: string[] = [];
  for (const o of report.outcomes) lines.push(...formatOutcome(o, report.repeat, style));
  lines.push('', formatSummary(report));
  return lines.join('\n');
}

/** The last line: `3 scenarios: 2 passed, 1 failed · 9 runs, pass rate 89% (1.2 s)`. */
export function formatSummary(report: TestReport): string {
  const t = totals(report);
  const parts = [`${t.passed} passed`, `${t.failed} failed`, ...(t.skipped ? [`${t.skipped} skipped`] : [])];
  const rate = report.repeat > 1 && t.passRate !== null ? ` · ${t.runs} runs, pass rate ${percent(t.passRate)}` : '';
  return `${t.scenarios} scenario${t.scenarios === 1 ? '' : 's'}: ${parts.join(', ')}${rate} (${seconds(report.durationMs)})`;
}

/** One scenario: its line, then (when it failed) the first failing run in detail. */
export function formatOutcome(o: ScenarioOutcome, repeat: number, style: Style = PLAIN): string[] {
  const s = summarize(o);
  const ms = Math.round(o.runs.reduce((n, r) => n + r.durationMs, 0) / Math.max(1, o.runs.length));
  const rate = repeat > 1 && s.ran ? `  ${s.passed}/${s.ran} runs passed (${percent(s.passRate ?? 0)})` : '';
  if (s.status === 'skipped') return [`${style.dim('-')} ${o.name}  ${style.dim(`skipped: ${o.runs[0]?.skipReason ?? ''}`)}`];
  const mark = s.status === 'passed' ? style.green('✓') : style.red('✗');
  const lines = [`${mark} ${o.name}${rate}  ${style.dim(`${ms} ms`)}`];
  const notes = [...new Set(o.runs.flatMap((r) => r.notes))];
  for (const n of notes) lines.push(`    ${style.dim(`note: ${n}`)}`);
  const failed = o.runs.findIndex((r) => r.status === 'failed');
  if (failed >= 0) {
    if (o.runs.length > 1) lines.push(`    ${style.bold(`run ${failed + 1} of ${o.runs.length}:`)}`);
    lines.push(...formatFailures(o.runs[failed], style).map((l) => `    ${l}`));
  } else if (o.runs[0]?.mode === 'voice') {
    lines.push(...voiceTurns(o.runs[0], style).map((l) => `    ${l}`));
  }
  return lines;
}

/** A passed voice run, one line per caller turn: said, heard, and how fast the answer came. */
function voiceTurns(run: ScenarioRun, style: Style): string[] {
  return run.transcript
    .filter((t) => t.role === 'caller')
    .map((t) => {
      const answer = run.transcript.find((a) => a.role === 'agent' && a.turn === t.turn);
      const latency = answer?.latency ? ` · ${formatLatency(answer.latency)}` : '';
      return style.dim(`turn ${t.turn}: said "${clip(t.said ?? t.text, 80)}" · heard "${clip(t.text, 80)}"${latency}`);
    });
}

/** Every failure of a run, grouped by the turn it is about, each group with its transcript excerpt. */
export function formatFailures(run: ScenarioRun, style: Style = PLAIN): string[] {
  const lines: string[] = [];
  const byTurn = new Map<number | undefined, typeof run.failures>();
  for (const f of run.failures) byTurn.set(f.turn, [...(byTurn.get(f.turn) ?? []), f]);
  const order = [...byTurn.keys()].sort((a, b) => (a ?? Infinity) - (b ?? Infinity));
  const last = Math.max(0, ...run.transcript.map((t) => t.turn));
  const shown = new Set<number>();
  for (const turn of order) {
    const group = byTurn.get(turn)!.sort((a, b) => a.line - b.line || a.column - b.column);
    for (const f of group) lines.push(`${run.file}:${f.line}:${f.column} ${f.field ? `${f.field}: ` : ''}${style.red(f.message)}`);
    // A failure about the whole conversation shows its end, unless that is already on screen.
    if (turn === undefined && shown.has(last)) continue;
    const focus = turn ?? last;
    for (const k of [focus - 1, focus, focus + 1]) shown.add(k);
    lines.push(style.dim(turn === undefined ? 'end of the conversation:' : `at turn ${turn}:`));
    lines.push(...excerpt(run, focus, turn !== undefined, style).map((l) => `  ${l}`));
  }
  return lines;
}

/** The transcript around caller turn `focus`: the exchange before it, the exchange itself (marked) and the one after. */
function excerpt(run: ScenarioRun, focus: number, mark: boolean, style: Style): string[] {
  const lines: string[] = [];
  for (const t of run.transcript.filter((x) => x.turn >= focus - 1 && x.turn <= focus + 1)) {
    const here = mark && t.turn === focus;
    const who = t.role === 'agent' ? 'agent  ›' : 'caller ›';
    const text = `${here ? '▶' : ' '} ${who} ${clip((t.said ?? t.text).replace(/\s+/g, ' '), 300)}`;
    lines.push(here ? style.bold(text) : style.dim(text));
    if (t.said !== undefined) lines.push(style.dim(`           heard: "${clip(t.text, 300)}"${sameWords(t.said, t.text) ? '' : ' (misheard)'}`));
    if (run.mode === 'voice' && t.role === 'agent' && t.latency) lines.push(style.dim(`           latency: ${formatLatency(t.latency)}`));
    if (here && t.role === 'caller' && t.documents.length) lines.push(style.dim(`           documents: ${t.documents.slice(0, 4).join('; ')}`));
    if (t.role === 'agent' && t.grounding === 'declined') lines.push(style.dim('           (declined: the documents did not cover the question)'));
    if (t.role === 'agent' && t.grounding?.startsWith('guarded:')) lines.push(style.dim(`           (guarded topic: ${t.grounding.slice('guarded:'.length)}; the model was not asked)`));
    for (const c of t.tools) {
      const out = c.error ? `error: ${c.error}` : JSON.stringify(c.result);
      lines.push(style.dim(`           ⚙ ${c.name}(${clip(JSON.stringify(c.input), 160)}) → ${clip(out ?? 'nothing', 160)}`));
    }
  }
  if (!lines.length) lines.push(style.dim('  (no transcript: the conversation did not start)'));
  return lines;
}

/** Whether two texts have the same words, ignoring case and punctuation. */
function sameWords(a: string, b: string): boolean {
  const words = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}'\s]/gu, ' ').replace(/\s+/g, ' ').trim();
  return words(a) === words(b);
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
