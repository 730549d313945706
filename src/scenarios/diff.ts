import type { ConversationRecord, ToolCallRecord } from '../store/records.ts';
import type { Style } from './report.ts';
import type { ScenarioRun } from './result.ts';

// `parley replay`: what changed between a recorded conversation and the same caller turns
// played against the agent as it is now — the agent's words as a compact word diff, and its
// tool calls as added, removed, or called with different arguments.

/** One step of a word diff. */
export interface WordOp {
  op: '=' | '+' | '-';
  text: string;
}

/** A difference in the tool calls of one turn. */
export interface ToolChange {
  change: 'added' | 'removed' | 'changed';
  name: string;
  before?: unknown;
  after?: unknown;
  /** For `changed`: each argument that differs, `email: "a" → "b"`. */
  fields?: string[];
}

/** One caller turn (0: the first message) and how the agent's answer to it changed. */
export interface TurnDiff {
  turn: number;
  caller: string | null;
  before: string | null;
  /** null: the replay never reached this turn (the agent ended the conversation earlier). */
  after: string | null;
  textChanged: boolean;
  words: WordOp[];
  tools: ToolChange[];
  declined: { before: boolean; after: boolean };
}

/** The whole comparison. */
export interface ReplayDiff {
  original: string;
  replay: string | null;
  agent: string;
  versionBefore: string;
  versionAfter: string;
  turns: TurnDiff[];
  lead: { before: Record<string, string>; after: Record<string, string>; fields: string[] };
  bookings: { before: string[]; after: string[] };
  endedByAgent: { before: boolean; after: boolean };
  /** Problems of the replay itself (a webhook the original never called has no recorded answer). */
  notes: string[];
  changed: boolean;
}

/** Compares a recorded conversation with its replay. */
export function replayDiff(rec: ConversationRecord, run: ScenarioRun, versionAfter: string): ReplayDiff {
  const recorded = recordedTurns(rec);
  const turns: TurnDiff[] = recorded.map((r) => {
    const caller = run.transcript.find((t) => t.role === 'caller' && t.turn === r.turn);
    const agent = run.transcript.find((t) => t.role === 'agent' && t.turn === r.turn);
    const reached = r.turn === 0 || Boolean(caller);
    const after = reached && agent ? agent.text : null;
    const words = after === null ? [] : wordDiff(r.agent ?? '', after);
    const tools = toolDiff(r.tools, agent?.tools ?? []);
    const declined = { before: r.declined, after: agent?.grounding === 'declined' };
    return { turn: r.turn, caller: r.caller, before: r.agent, after, textChanged: after === null || words.some((w) => w.op !== '='), words, tools, declined };
  });
  const leadBefore = rec.lead ?? {};
  const fields = [...new Set([...Object.keys(leadBefore), ...Object.keys(run.lead)])]
    .filter((k) => leadBefore[k] !== run.lead[k])
    .map((k) => `${k}: ${show(leadBefore[k])} → ${show(run.lead[k])}`);
  const bookings = { before: rec.bookings.map((b) => b.start), after: run.bookings.map((b) => b.start) };
  const endedByAgent = { before: rec.toolCalls.some((c) => c.name === 'end_call'), after: run.endedByAgent };
  const notes = run.failures.filter((f) => f.field.startsWith('stubs') || f.field.startsWith('caller') || !f.field).map((f) => f.message);
  const changed =
    turns.some((t) => t.textChanged || t.tools.length || t.declined.before !== t.declined.after) ||
    fields.length > 0 ||
    bookings.before.join() !== bookings.after.join() ||
    endedByAgent.before !== endedByAgent.after;
  return {
    original: rec.id,
    replay: run.conversationId,
    agent: rec.agent,
    versionBefore: rec.agentVersion,
    versionAfter,
    turns,
    lead: { before: leadBefore, after: run.lead, fields },
    bookings,
    endedByAgent,
    notes,
    changed,
  };
}

/** The comparison as text, unchanged turns in one line each. */
export function formatReplay(d: ReplayDiff, style: Style): string {
  const lines = [
    style.bold(`replay of ${d.original.slice(0, 8)} · ${d.agent} · version ${d.versionBefore} → ${d.versionAfter}${d.versionBefore === d.versionAfter ? ' (unchanged)' : ''}`),
    style.dim(`replayed as conversation ${d.replay ?? '(not recorded)'} (caller replay:${d.original})`),
    '',
  ];
  for (const t of d.turns) {
    const label = `turn ${t.turn}`.padEnd(8);
    if (t.caller !== null) lines.push(`${label}${style.dim('caller ›')} ${t.caller}`);
    const lead = t.caller !== null ? ' '.repeat(8) : label;
    if (t.after === null) lines.push(`${lead}${style.red('agent  ✗')} not reached: the agent ended the conversation earlier`);
    else if (!t.textChanged) lines.push(`${lead}${style.dim(`agent  = ${clip(t.after, 100)}`)}`);
    else lines.push(`${lead}agent  ~ ${formatWords(t.words, style)}`);
    if (t.declined.before !== t.declined.after) lines.push(`${' '.repeat(8)}       ${t.declined.after ? style.red('now declined (no document covered the question)') : style.green('no longer declined')}`);
    for (const c of t.tools) lines.push(`${' '.repeat(8)}tools  ${formatTool(c, style)}`);
  }
  const extra: string[] = [];
  if (d.lead.fields.length) extra.push(`lead    ${d.lead.fields.join('; ')}`);
  if (d.bookings.before.join() !== d.bookings.after.join()) extra.push(`booking ${d.bookings.before.join(', ') || 'none'} → ${d.bookings.after.join(', ') || 'none'}`);
  if (d.endedByAgent.before !== d.endedByAgent.after) extra.push(`ending  ${d.endedByAgent.after ? 'the agent now ends the conversation' : 'the agent no longer ends the conversation'}`);
  if (extra.length) lines.push('', ...extra);
  for (const n of d.notes) lines.push(style.dim(`note: ${n}`));
  const n = d.turns.filter((t) => t.textChanged || t.tools.length || t.declined.before !== t.declined.after).length;
  lines.push('', d.changed ? `${n} of ${d.turns.length} turns changed` : style.green('no changes: the agent answered every turn as in the recording'));
  return lines.join('\n');
}

/** Word-level diff (longest common subsequence over whitespace-separated words). */
export function wordDiff(before: string, after: string): WordOp[] {
  const a = before.split(/\s+/).filter(Boolean);
  const b = after.split(/\s+/).filter(Boolean);
  // lcs[i][j]: length of the common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint16Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: WordOp[] = [];
  const push = (op: WordOp['op'], word: string) => {
    const last = ops.at(-1);
    if (last?.op === op) last.text += ` ${word}`;
    else ops.push({ op, text: word });
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      push('=', a[i++]);
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) push('-', a[i++]);
    else push('+', b[j++]);
  }
  while (i < a.length) push('-', a[i++]);
  while (j < b.length) push('+', b[j++]);
  return ops;
}

/** A word diff as one line: `[-removed-]{+added+}`, long unchanged stretches shortened to their ends. */
export function formatWords(ops: WordOp[], style: Style): string {
  return ops
    .map((o, k) => {
      if (o.op === '-') return style.red(`[-${o.text}-]`);
      if (o.op === '+') return style.green(`{+${o.text}+}`);
      const w = o.text.split(' ');
      if (w.length <= 8) return o.text;
      const head = k === 0 ? [] : w.slice(0, 3);
      const tail = k === ops.length - 1 ? [] : w.slice(-3);
      return [...head, '…', ...tail].join(' ');
    })
    .join(' ');
}

/** Tool calls of one turn, paired by name in order: unpaired ones were added or removed. */
export function toolDiff(before: Pick<ToolCallRecord, 'name' | 'input'>[], after: Pick<ToolCallRecord, 'name' | 'input'>[]): ToolChange[] {
  const changes: ToolChange[] = [];
  const names = [...new Set([...before, ...after].map((c) => c.name))];
  for (const name of names) {
    const b = before.filter((c) => c.name === name);
    const a = after.filter((c) => c.name === name);
    for (let k = 0; k < Math.max(a.length, b.length); k++) {
      if (!a[k]) changes.push({ change: 'removed', name, before: b[k].input });
      else if (!b[k]) changes.push({ change: 'added', name, after: a[k].input });
      else {
        const fields = fieldChanges(b[k].input, a[k].input);
        if (fields.length) changes.push({ change: 'changed', name, before: b[k].input, after: a[k].input, fields });
      }
    }
  }
  return changes;
}

/** The recording as caller turns with the agent's answer to each (turn 0: the first message). */
function recordedTurns(rec: ConversationRecord) {
  const out: { turn: number; caller: string | null; agent: string | null; declined: boolean; tools: ToolCallRecord[] }[] = [];
  let turn = 0;
  for (const t of rec.turns) {
    if (t.role === 'caller') out.push({ turn: ++turn, caller: t.heardText ?? t.text, agent: null, declined: false, tools: [] });
    else {
      if (!out.length) out.push({ turn: 0, caller: null, agent: null, declined: false, tools: [] });
      const last = out[out.length - 1];
      last.agent = (last.agent === null ? '' : `${last.agent} `) + (t.heardText ?? t.text);
      last.declined ||= t.grounding === 'declined';
      last.tools.push(...rec.toolCalls.filter((c) => c.turnSeq === t.seq));
    }
  }
  return out;
}

/** Argument-level differences between two inputs, one `key: before → after` each. */
function fieldChanges(before: unknown, after: unknown): string[] {
  const isObj = (v: unknown): v is Record<string, unknown> => Boolean(v) && typeof v === 'object' && !Array.isArray(v);
  if (!isObj(before) || !isObj(after)) return JSON.stringify(before) === JSON.stringify(after) ? [] : [`${show(before)} → ${show(after)}`];
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((k) => `${k}: ${show(before[k])} → ${show(after[k])}`);
}

function formatTool(c: ToolChange, style: Style): string {
  if (c.change === 'added') return style.green(`+ ${c.name}(${clip(JSON.stringify(c.after ?? {}), 120)})`);
  if (c.change === 'removed') return style.red(`- ${c.name}(${clip(JSON.stringify(c.before ?? {}), 120)})`);
  return `~ ${c.name}: ${c.fields!.join('; ')}`;
}

function show(v: unknown): string {
  return v === undefined ? '(none)' : clip(JSON.stringify(v), 80);
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
