import type { ToolCallRecord } from '../store/records.ts';
import type { EmittedEvent } from './events-out.ts';
import type { CapturedEmail } from './emails-out.ts';
import { LATENCY_STAGES, type EmailExpectationData, type EventExpectationData, type ExpectData, type LatencyBudgetData, type ToolExpectationData, type TurnExpectData } from './format.ts';
import { mismatch, show, shownPattern, textPattern } from './match.ts';
import { exchange, type RunTurn, type ScenarioRun } from './result.ts';
import { localTime, scenarioInstant } from './time.ts';

// The checks behind `expect`: each returns what did not hold, with the path of the
// expectation (so the report can point into the file) and the caller turn it is about.

/** An expectation that did not hold, before it is given a file position. */
export interface Finding {
  path: (string | number)[];
  turn?: number;
  message: string;
}

type Run = Pick<ScenarioRun, 'mode' | 'transcript' | 'toolCalls' | 'lead' | 'bookings' | 'events' | 'emails' | 'callerTurns' | 'endedByAgent' | 'endReason'>;

/** Checks the agent's reply to caller turn `k` (1-based); `path` is where its `expect` is written. */
export function checkTurn(expect: TurnExpectData, k: number, run: Run, path: (string | number)[]): Finding[] {
  const { agent, caller } = exchange(run, k);
  const out: Finding[] = [];
  const fail = (key: string | (string | number)[], message: string) => out.push({ path: [...path, ...(Array.isArray(key) ? key : [key])], turn: k, message });
  expect.heard?.forEach((p, i) => {
    if (caller && textPattern(p).find(caller.text) === undefined) fail(expect.heard!.length > 1 ? ['heard', i] : 'heard', `the agent heard "${caller.text}", which does not contain ${shownPattern(p)}${caller.said !== undefined ? ` (the caller said "${caller.said}")` : ''}`);
  });
  if (!agent) return [...out, { path, turn: k, message: 'the agent never answered this turn' }];
  if (expect.latency && run.mode === 'voice') {
    const problem = overBudget(expect.latency, agent, true);
    if (problem) fail(['latency', problem.stage], problem.message);
  }

  expect.says?.forEach((p, i) => {
    if (textPattern(p).find(agent.text) === undefined) fail(expect.says!.length > 1 ? ['says', i] : 'says', `the reply does not say ${shownPattern(p)}`);
  });
  expect.neverSays?.forEach((p, i) => {
    const found = textPattern(p).find(agent.text);
    if (found !== undefined) fail(expect.neverSays!.length > 1 ? ['neverSays', i] : 'neverSays', `the reply says ${shownPattern(p)} ("${found}")`);
  });
  const docs = caller?.documents ?? [];
  expect.documents?.forEach((p, i) => {
    if (!docs.some((d) => textPattern(p).find(d) !== undefined)) {
      fail(expect.documents!.length > 1 ? ['documents', i] : 'documents', `no document retrieved for this turn matches ${shownPattern(p)} (retrieved: ${docs.length ? docs.join('; ') : 'none'})`);
    }
  });
  if (expect.declined === true && agent.grounding !== 'declined') fail('declined', 'expected the agent to decline (knowledge.unknownAnswer, in code or by the model\'s NOT_IN_DOCUMENTS); it answered');
  if (expect.declined === false && agent.grounding === 'declined') fail('declined', 'the agent declined: the documents did not cover the question (parley knowledge search shows why), so it said knowledge.unknownAnswer');
  const guardedTopic = agent.grounding?.startsWith('guarded:') ? agent.grounding.slice('guarded:'.length) : undefined;
  if (expect.guarded !== undefined && expect.guarded !== false && (guardedTopic === undefined || (typeof expect.guarded === 'string' && expect.guarded !== guardedTopic))) {
    fail('guarded', `expected the agent to turn the topic away${typeof expect.guarded === 'string' ? ` as "${expect.guarded}"` : ''}; ${guardedTopic ? `it was guarded as "${guardedTopic}"` : 'it was not (parley knowledge search shows why)'}`);
  }
  if (expect.guarded === false && guardedTopic) fail('guarded', `the agent turned the turn away as the guarded topic "${guardedTopic}"`);
  if (expect.toolCalled?.length === 0 && agent.tools.length) fail('toolCalled', `expected no tool calls on this turn, ${callList(agent.tools)}`);
  expect.toolCalled?.forEach((t, i) => {
    const problem = toolProblem(t, agent.tools, 'on this turn');
    if (problem) fail(['toolCalled', i], problem);
  });
  expect.toolNotCalled?.forEach((name, i) => {
    const call = agent.tools.find((c) => c.name === name);
    if (call) fail(['toolNotCalled', i], `${name} was called (${show(call.input)})`);
  });
  return out;
}

/** Checks the whole conversation against `expect` (all but the rubric, which needs a judge). */
export function checkConversation(expect: ExpectData, run: Run, timeZone: string): Finding[] {
  const out: Finding[] = [];
  const fail = (path: (string | number)[], message: string, turn?: number) => out.push({ path: ['expect', ...path], message, ...(turn !== undefined ? { turn } : {}) });
  const agentTurns = run.transcript.filter((t) => t.role === 'agent');
  const turnOf = (call: ToolCallRecord) => run.transcript.find((t) => t.seq === call.turnSeq)?.turn;

  expect.says?.forEach((p, i) => {
    if (!agentTurns.some((t) => textPattern(p).find(t.text) !== undefined)) fail(expect.says!.length > 1 ? ['says', i] : ['says'], `the agent never says ${shownPattern(p)}`);
  });
  expect.neverSays?.forEach((p, i) => {
    for (const t of agentTurns) {
      const found = textPattern(p).find(t.text);
      if (found === undefined) continue;
      fail(expect.neverSays!.length > 1 ? ['neverSays', i] : ['neverSays'], `the agent says ${shownPattern(p)} ("${found}")`, t.turn);
      break;
    }
  });
  // An empty list is "none", not a list with nothing to find: `toolCalled: []`, `events: []`, `emails: []`.
  if (expect.toolCalled?.length === 0 && run.toolCalls.length) fail(['toolCalled'], `expected no tool calls, ${callList(run.toolCalls)}`, turnOf(run.toolCalls[0]));
  expect.toolCalled?.forEach((t, i) => {
    const problem = toolProblem(t, run.toolCalls, 'in the conversation');
    const near = run.toolCalls.find((c) => c.name === t.name);
    if (problem) fail(['toolCalled', i], problem, near && turnOf(near));
  });
  expect.toolNotCalled?.forEach((name, i) => {
    const call = run.toolCalls.find((c) => c.name === name);
    if (call) fail(['toolNotCalled', i], `${name} was called (${show(call.input)})`, turnOf(call));
  });
  if (expect.collected) {
    for (const [field, want] of Object.entries(expect.collected)) {
      const problem = mismatch(want, run.lead[field], [field]);
      if (problem) fail(['collected', field], Object.keys(run.lead).length ? `collected ${problem}` : 'nothing was collected (save_lead was never called with a value)');
    }
  }
  // A scheduling link is not a booking: nothing is booked until the caller confirms on the calendar's page.
  const booked = run.bookings.filter((b) => b.status !== 'link');
  if (expect.booking === false && booked.length) {
    fail(['booking'], `a call was booked for ${localTime(booked[0].start, timeZone)} (${timeZone})`);
  } else if (expect.booking) {
    const want = expect.booking;
    const start = want.start === undefined ? undefined : scenarioInstant(want.start, timeZone)?.toString();
    const problems = booked.map((b) => {
      if (want.localTime && localTime(b.start, timeZone) !== want.localTime.replace('T', ' ')) return `booked for ${localTime(b.start, timeZone)}, expected ${want.localTime} (${timeZone})`;
      if (start && b.start !== start) return `booked for ${b.start}, expected ${start}`;
      const who = want.attendee === undefined ? undefined : mismatch(want.attendee, b.attendee, ['attendee']);
      return who;
    });
    if (!booked.length) fail(['booking'], run.bookings.length ? 'no call was booked (the calendar gave a scheduling link instead)' : 'no call was booked');
    else if (!problems.includes(undefined)) fail(['booking'], problems[0] ?? 'no matching booking');
  }
  // conversation.ended goes out after every conversation, so "no events" means none besides it.
  const sent = run.events.filter((e) => e.type !== 'conversation.ended');
  if (expect.events?.length === 0 && sent.length) fail(['events'], `expected no events but conversation.ended, ${sent.length} sent: ${sent.map((e) => e.type).join(', ')}`);
  expect.events?.forEach((want, i) => {
    const problem = eventProblem(want, run.events);
    if (problem) fail(['events', i], problem);
  });
  // An email the server would not send (its delivery would fail: CapturedEmail.error) is not sent.
  const mailed = run.emails.filter((e) => !e.error);
  if (expect.emails?.length === 0 && mailed.length) fail(['emails'], `expected no emails, ${mailed.length} would be sent: ${emailList(run.emails)}`);
  expect.emails?.forEach((want, i) => {
    const problem = emailProblem(want, run.emails);
    if (problem) fail(['emails', i], problem);
  });
  if (expect.latency && run.mode === 'voice') {
    // Every answer to a caller turn; the first message and fixed lines (reprompts) are not answers.
    for (let k = 1; k <= run.callerTurns; k++) {
      const { agent } = exchange(run, k);
      const problem = agent && overBudget(expect.latency, agent, false);
      if (problem) fail(['latency', problem.stage], `turn ${k}: ${problem.message}`, k);
    }
  }
  if (expect.endedByAgent === true && !run.endedByAgent) fail(['endedByAgent'], 'the agent did not end the conversation (end_call was not called)');
  if (expect.endedByAgent === false && run.endedByAgent) fail(['endedByAgent'], `the agent ended the conversation (${run.endReason})`, run.callerTurns);
  return out;
}

/** Checks `expect.maxTurns`: the conversation was over (agent ended it, or a simulated caller was done) within N caller turns. */
export function checkMaxTurns(max: number | undefined, run: Run, finished: boolean): Finding[] {
  if (max === undefined) return [];
  if (run.callerTurns > max) return [{ path: ['expect', 'maxTurns'], message: `the caller needed ${run.callerTurns} turns, more than ${max}` }];
  if (!finished) return [{ path: ['expect', 'maxTurns'], message: `the conversation was not over after ${run.callerTurns} caller turns` }];
  return [];
}

const STAGE_NAMES: Record<string, string> = { endpointingMs: 'endpointing', sttFinalMs: 'STT final', llmFirstTokenMs: 'model first token', ttsFirstAudioMs: 'first audio', voiceToVoiceMs: 'voice-to-voice' };

/** The stage timings of an agent turn, as the report shows them: `voice-to-voice 1840 ms (endpointing 500 ms, …)`. */
export function formatLatency(latency: Record<string, number | null>): string {
  const ms = (v: number | null | undefined) => (v === null || v === undefined ? 'not measured' : `${Math.round(v)} ms`);
  const parts = LATENCY_STAGES.filter((s) => s !== 'voiceToVoiceMs' && s in latency).map((s) => `${STAGE_NAMES[s]} ${ms(latency[s])}`);
  return `voice-to-voice ${ms(latency.voiceToVoiceMs)}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/**
 * The first stage of an agent turn over its budget, with the measured numbers. A stage the voice
 * loop did not time counts as over when `strict` (a budget written for this very turn).
 */
function overBudget(budget: LatencyBudgetData, agent: RunTurn, strict: boolean): { stage: string; message: string } | undefined {
  for (const stage of LATENCY_STAGES) {
    const max = budget[stage];
    if (max === undefined) continue;
    const got = agent.latency?.[stage];
    if (got === null || got === undefined) {
      if (strict) return { stage, message: `${stage} was not measured on this turn (the answer was ${agent.latency ? 'not timed at this stage' : 'never timed: interrupted, or not spoken'})` };
      continue;
    }
    if (got > max) return { stage, message: `${stage} was ${Math.round(got)} ms, over the budget of ${max} ms: ${formatLatency(agent.latency!)}` };
  }
  return undefined;
}

/** Why no call among `calls` satisfies a toolCalled expectation, or undefined when one does. */
function toolProblem(t: ToolExpectationData, calls: ToolCallRecord[], where: string): string | undefined {
  const named = calls.filter((c) => c.name === t.name);
  if (!named.length) return `${t.name} was not called ${where} (calls: ${calls.length ? [...new Set(calls.map((c) => c.name))].join(', ') : 'none'})`;
  const check = (want: unknown, actual: unknown, key: string) => (want === undefined ? undefined : mismatch(want, actual, [key]));
  const problems = named.map((c) => check(t.args, c.input, 'args') ?? check(t.request, c.request, 'request') ?? check(t.result, resultOf(c), 'result') ?? errorProblem(t.error, c.error));
  if (problems.includes(undefined)) return undefined;
  return `${t.name} was called, but ${problems[0]}`;
}

/**
 * The result as a scenario matches it: what the model got back, and for a refused or failed call
 * also `error`, the recorded reason (save_lead reports a refused value under `rejected`, a call the
 * SDK refused only as the call's error), so `result: { error: /…/ }` asserts any refusal.
 */
function resultOf(call: ToolCallRecord): unknown {
  if (!call.error) return call.result;
  const result = call.result;
  if (result && typeof result === 'object' && !Array.isArray(result)) return 'error' in result ? result : { ...result, error: call.error };
  return { error: call.error };
}

/** Why a call's recorded error does not match `error:` (a pattern, true: any, false: none). */
function errorProblem(want: string | boolean | undefined, error: string | null): string | undefined {
  if (want === undefined) return undefined;
  if (want === false) return error ? `error: expected none, got ${show(error)}` : undefined;
  if (!error) return `error: expected ${want === true ? 'the call to be refused or fail' : shownPattern(want)}, but it succeeded`;
  return want === true ? undefined : mismatch(want, error, ['error']);
}

/** Why no emitted event satisfies an `expect.events` entry (naming what was emitted), or undefined when one does. */
function eventProblem(want: EventExpectationData, events: EmittedEvent[]): string | undefined {
  const emitted = `emitted: ${events.length ? events.map((e) => e.type).join(', ') : 'none'}`;
  const typed = events.filter((e) => e.type === want.type);
  if (!typed.length) return `no ${want.type} event was sent (${emitted})`;
  if (want.data === undefined) return undefined;
  const problems = typed.map((e) => mismatch(want.data, e.data, ['data']));
  if (problems.includes(undefined)) return undefined;
  return `${typed.length > 1 ? `none of the ${typed.length} ${want.type} events matches` : `the ${want.type} event does not match`}: ${problems[0]} (${emitted})`;
}

/** Why no captured email satisfies an `expect.emails` entry (naming what was composed), or undefined when one does. */
function emailProblem(want: EmailExpectationData, emails: CapturedEmail[]): string | undefined {
  const composed = `emails: ${emails.length ? emailList(emails) : 'none (the agent names no owner address: events.email.to or calendar.ownerEmail)'}`;
  const { attachment, error, ...rest } = want;
  const problems = emails.map((e) => {
    if (error !== undefined) return e.error ? (mismatch(rest, e) ?? mismatch(error, e.error, ['error'])) : `${e.message} to ${e.to} would be sent (expected error ${shownPattern(error)})`;
    if (e.error) return `${e.message} to ${e.to} would not be sent: ${e.error}`;
    if (attachment === false) return e.attachment ? `attachment: expected none, got ${e.attachment.filename}` : mismatch(rest, e);
    return mismatch(rest, e) ?? (attachment === undefined ? undefined : mismatch(attachment, e.attachment?.filename, ['attachment']));
  });
  if (problems.includes(undefined)) return undefined;
  // Why the email of the kind asked for does not match says the most; else the first one's.
  const why = problems[emails.findIndex((e) => e.message === want.message)] ?? problems[0];
  return `${emails.length > 1 ? `none of the ${emails.length} emails matches` : emails.length ? 'the email does not match' : 'no email was composed'}${why ? `: ${why}` : ''} (${composed})`;
}

/** Captured emails as a failure names them: `invitation to jane@acme.io, owner-lead to owner@acme.io (not sent: …)`. */
function emailList(emails: CapturedEmail[]): string {
  return emails.map((e) => `${e.message} to ${e.to}${e.error ? ` (not sent: ${e.error})` : ''}`).join(', ');
}

/** Tool calls as a failure names them, with their arguments: `2 made: save_lead {"name":"Jane"}, end_call {}`. */
function callList(calls: ToolCallRecord[]): string {
  return `${calls.length} made: ${calls.map((c) => `${c.name} ${show(c.input)}`).join(', ')}`;
}
