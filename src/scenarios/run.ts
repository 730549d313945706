import type { LanguageModel } from 'ai';
import { startFakeOpenAI, type FakeOpenAI, type FakeStep } from '../testing/openai.ts';
import type { Agent } from '../agent/load.ts';
import { resolveModel } from '../llm/model.ts';
import { Conversation } from '../session/conversation.ts';
import { TextSession } from '../session/text-session.ts';
import type { ConversationEvent } from '../session/events.ts';
import type { BookingRecord, ToolCallRecord } from '../store/records.ts';
import { openStore, type Store } from '../store/store.ts';
import { calendarFor } from '../tools/calendar/index.ts';
import type { CalendarProvider } from '../tools/calendar/types.ts';
import { analysisFindings } from './analysis.ts';
import { capturedEmails, scenarioMail } from './emails-out.ts';
import { emittedEvents } from './events-out.ts';
import { keypadTurn } from '../session/keypad-turn.ts';
import { ScriptedPhoneLine } from './scripted-phone-line.ts';
import { checkConversation, checkMaxTurns, checkTurn, type Finding } from './expectations.ts';
import { judgeRubric } from './judge.ts';
import { storeWithKnowledge, type KnowledgeTemplate } from './knowledge.ts';
import type { Scenario } from './load.ts';
import { isModelMissing, type ScenarioModels } from './models.ts';
import type { Failure, RunTurn, ScenarioRun } from './result.ts';
import { nextCallerLine } from './simulated-caller.ts';
import { StubCalendar } from './stub-calendar.ts';
import { stubMcp } from './stub-mcp.ts';
import { stubWebhooks } from './stub-webhooks.ts';
import { scenarioInstant } from './time.ts';
import { VoiceCall, VoiceCallError } from './voice-call.ts';
import type { ScenarioSpeech } from './voice-speech.ts';
import { errorText } from '../util/error-text.ts';

// Runs one scenario through the real Conversation — typed (text mode), or spoken through the
// full voice loop (voice mode, voice-call.ts): the same knowledge gate, tool loop, tools and
// recorder as a live conversation, with the world around it (model, webhooks, calendar, clock)
// played by the scenario. The fake OpenAI-compatible server from test/fakes
// — the one exported to users as `parley/testing` — plays `model.script`.

/** How to run scenarios for one agent. */
export interface RunOptions {
  agent: Agent;
  models: ScenarioModels;
  /** The agent's indexed documents, copied into a fresh in-memory store for each run. */
  knowledge?: KnowledgeTemplate;
  /** Run (and record) in this store instead, e.g. the real one for a replay; it is left open. */
  store?: Store;
  env?: NodeJS.ProcessEnv;
  /** The clock, when the scenario does not fix one with `stubs.now`. */
  clock?: () => Date;
  /** The `caller` recorded on the conversation; `scenario:<name>` by default. */
  caller?: string;
  /** Voice mode: the caller's turns are spoken into the voice loop with this speech. Text mode when absent. */
  voice?: ScenarioSpeech;
  signal?: AbortSignal;
}

/** Runs a scenario once and checks every expectation. */
export async function runScenario(scenario: Scenario, o: RunOptions): Promise<ScenarioRun> {
  const t0 = performance.now();
  const { agent } = o;
  const data = scenario.data;
  const signal = o.signal ?? new AbortController().signal;
  const findings: Finding[] = [];
  const notes: string[] = [];
  const run: ScenarioRun = {
    scenario: scenario.name,
    file: scenario.file,
    mode: o.voice ? 'voice' : 'text',
    ...(o.voice ? { speech: { stt: o.voice.stt.id, tts: o.voice.tts.id, callerVoice: o.voice.caller.label } } : {}),
    status: 'passed',
    failures: [],
    notes,
    conversationId: null,
    transcript: [],
    toolCalls: [],
    lead: {},
    bookings: [],
    events: [],
    emails: [],
    callerTurns: 0,
    endedByAgent: false,
    endReason: null,
    durationMs: 0,
  };
  const done = (): ScenarioRun => {
    // In conversation order, then file order: the first failure is the first thing that went wrong.
    run.failures = findings.map((f) => failure(scenario, f)).sort((a, b) => (a.turn ?? Infinity) - (b.turn ?? Infinity) || a.line - b.line || a.column - b.column);
    if (run.status !== 'skipped') run.status = run.failures.length ? 'failed' : 'passed';
    run.durationMs = Math.round(performance.now() - t0);
    return run;
  };
  const skip = (reason: string): ScenarioRun => {
    run.status = 'skipped';
    run.skipReason = reason;
    return done();
  };

  let fake: FakeOpenAI | undefined;
  let store: Store | undefined;
  let conversation: Conversation | undefined;
  let call: VoiceCall | undefined;
  let typed: TextSession | undefined;
  const events: ConversationEvent[] = [];
  try {
    let models: LanguageModel[];
    if (data.model?.script) {
      // Past the end of the script the fake answers 400, which is not retried: a scenario
      // that outruns its script fails at once instead of waiting out the SDK's back-off.
      const overrun: FakeStep = () => {
        fake?.push(overrun);
        return { error: { status: 400, message: 'parley test: model.script has no step left for this request' } };
      };
      fake = await startFakeOpenAI({ steps: [...data.model.script.map((s) => ({ ...s })), overrun] });
      models = [resolveModel({ spec: 'openai-compatible:scripted', baseURL: fake.url, apiKey: 'scripted' }, {})];
    } else {
      try {
        models = await o.models.agent();
      } catch (e) {
        if (isModelMissing(e)) return skip(`no language model for the agent (${e.message}); add model.script to run it without one`);
        throw e;
      }
    }
    let callerModel: LanguageModel | undefined;
    if (data.caller.simulate) {
      try {
        callerModel = await o.models.caller();
      } catch (e) {
        if (isModelMissing(e)) return skip(`no language model for the simulated caller (${e.message}); set PARLEY_CALLER_LLM`);
        throw e;
      }
    }

    store = o.store ?? (o.knowledge ? await storeWithKnowledge(o.knowledge, agent.name) : await openStore('file::memory:'));
    const zone = agent.config.timeZone;
    const fixed = data.stubs.now === undefined ? undefined : scenarioInstant(data.stubs.now, zone);
    const clock = fixed ? () => new Date(fixed.epochMilliseconds) : o.clock;
    const hooks = stubWebhooks(agent, data.stubs.tools, o.env ?? process.env);
    const mail = scenarioMail(agent, hooks.env);
    const calendar: CalendarProvider | undefined = data.stubs.calendar
      ? StubCalendar.fromScenario(data.stubs.calendar, zone)
      : calendarFor(agent, { store, env: hooks.env, fetch: hooks.fetch, now: clock });
    const phone = data.door === 'phone' ? new ScriptedPhoneLine(data.stubs.transfer) : undefined;
    conversation = new Conversation({
      agent,
      store,
      models,
      channel: data.door === 'phone' ? 'phone' : o.voice ? 'web' : 'text',
      ...(phone ? { phone } : {}),
      caller: o.caller ?? `scenario:${scenario.name}`,
      fetch: hooks.fetch,
      mcp: stubMcp(data.stubs.tools, hooks.unstubbed),
      env: hooks.env,
      clock,
      calendar,
      // Emails are composed and captured (run.emails), never sent: the agent may promise an invitation.
      emailsInvitations: mail.on && agent.config.calendar?.provider === 'builtin' && !data.stubs.calendar,
      emailsLinks: mail.on,
      onEvent: (_, e) => void events.push(e),
    });
    run.conversationId = conversation.id;
    if (o.voice) {
      call = new VoiceCall({ conversation, speech: o.voice, signal });
      await call.start();
    } else {
      // Typed: the same text session as `parley chat` and the web door, limits and all.
      const limits = agent.config.limits;
      typed = new TextSession({
        conversation,
        maxDurationSec: limits.maxDurationSec,
        maxTurnChars: limits.maxTurnChars,
        sink: (e) => {
          if (e.type !== 'error') return;
          const i = run.callerTurns - 1;
          const message = e.code === 'failed' ? `the agent's turn failed: ${e.message}` : `the caller's line was not taken (${e.code}): ${e.message}`;
          findings.push({ path: data.caller.turns && i >= 0 ? ['caller', 'turns', i] : [], turn: run.callerTurns || undefined, message });
        },
      });
      signal.addEventListener('abort', () => void typed?.end('caller left'), { once: true });
      await typed.start();
    }

    // Requests the scripted model had received when each caller turn began: where a script ran out.
    const requestsBefore: number[] = [];
    const say = async (text: string, firstTool?: string): Promise<void> => {
      requestsBefore.push(fake?.requests.length ?? 0);
      run.callerTurns++;
      if (call) await call.say(text);
      else await typed!.say(text, { firstTool });
    };
    let callerDone = false;
    if (data.caller.turns) {
      for (const [i, turn] of data.caller.turns.entries()) {
        if (conversation.ended) {
          const reason = call ? call.endReason : conversation.endReason;
          const who = reason !== 'agent ended' ? `the ${call ? 'call' : 'conversation'} ended (${reason ?? 'no reason'})` : 'the agent ended the conversation';
          findings.push({ path: ['caller', 'turns', i], turn: i, message: `${who} after turn ${i}; ${data.caller.turns.length - i} scripted caller turn(s) were never said` });
          break;
        }
        if (turn.keys !== undefined) {
          // The turn the phone door's keypad makes of them, shortcut to a person included.
          const { text, firstTool } = keypadTurn(agent, turn.keys);
          await say(text, firstTool);
        } else await say(turn.say!);
      }
    } else if (data.caller.simulate && callerModel) {
      const sim = data.caller.simulate;
      while (!conversation.ended && run.callerTurns < sim.maxTurns) {
        const line = await nextCallerLine(callerModel, sim, conversation.transcript, signal);
        if (line.say) await say(line.say);
        if (line.done || !line.say) {
          callerDone = true;
          break;
        }
      }
    }
    run.endedByAgent = call ? call.endReason === 'agent ended' : conversation.ended;
    // On the line, hanging up ends the conversation; the session records it as the caller's.
    if (call) await call.hangUp();
    await typed?.end('caller left'); // the scripted caller is done (a conversation that ended keeps its reason)
    if (!conversation.ended) await conversation.end('caller left');
    collect(run, events, call);
    run.events = await emittedEvents(events, store, conversation.id);
    if (mail.on) run.emails = capturedEmails(run.events, agent, mail.env, clock?.() ?? new Date());
    // The server would log a failed delivery for these; the report says so even when no expectation asks.
    for (const e of run.emails) if (e.error) notes.push(`${e.message} email to ${e.to} would not be sent: ${e.error}`);
    if (call) {
      findings.push(...splitTurns(call, Boolean(data.caller.turns), run), ...sessionTrouble(call, events, run));
      notes.push(...o.voice!.notes);
    }

    data.caller.turns?.forEach((turn, i) => {
      if (turn.expect && i < run.callerTurns) findings.push(...checkTurn(turn.expect, i + 1, run, ['caller', 'turns', i, 'expect']));
    });
    findings.push(...checkConversation(data.expect, run, zone));
    findings.push(...checkMaxTurns(data.expect.maxTurns, run, run.endedByAgent || callerDone));
    if (fake && data.model?.script) findings.push(...scriptUsage(fake, data.model.script.length, requestsBefore));
    for (const tool of new Set(hooks.unstubbed.map((u) => u.tool))) {
      const call = tool && run.toolCalls.find((c) => c.name === tool);
      const hosts = [...new Set(hooks.unstubbed.filter((u) => !u.tool).map((u) => u.host))].join(', ');
      // Only a cal.com or Calendly calendar reaches hosts no webhook tool names.
      const remoteCalendar = agent.config.calendar && agent.config.calendar.provider !== 'builtin' && !data.stubs.calendar;
      findings.push({
        path: tool ? ['stubs', 'tools'] : remoteCalendar ? ['stubs', 'calendar'] : ['stubs'],
        turn: call ? run.transcript.find((t) => t.seq === call.turnSeq)?.turn : undefined,
        message: tool
          ? `${tool} tried to reach the network; scenarios never do: add stubs.tools.${tool} with the answer it should get`
          : remoteCalendar
            ? `a request to ${hosts} was refused: scenarios never reach the network (a ${agent.config.calendar!.provider} calendar needs stubs.calendar)`
            : `a request to ${hosts} was refused: scenarios never reach the network, and no webhook tool's URL matches it`,
      });
    }
    for (const [i, rubric] of (data.expect.rubric ?? []).entries()) {
      let judge: LanguageModel;
      try {
        judge = await o.models.judge();
      } catch (e) {
        if (!isModelMissing(e)) throw e;
        notes.push(`rubric not judged (no judge model: ${e.message}; set PARLEY_JUDGE_LLM or the agent's model key): ${rubric}`);
        continue;
      }
      const path = ['expect', 'rubric', ...(data.expect.rubric!.length > 1 ? [i] : [])];
      try {
        const verdict = await judgeRubric(judge, rubric, run.transcript, signal);
        if (!verdict.pass) findings.push({ path, message: `judged as broken: ${verdict.reason}` });
      } catch (e) {
        if (signal.aborted) throw e;
        findings.push({ path, message: `could not be judged: ${errorText(e)}` });
      }
    }
    findings.push(...(await analysisFindings({ agent, data, store, conversationId: conversation.id, agentModel: o.models.agent, env: o.env ?? process.env, signal, notes })));
    return done();
  } catch (e) {
    if (signal.aborted) throw e;
    if (e instanceof VoiceCallError) findings.push({ path: e.turn && data.caller.turns ? ['caller', 'turns', e.turn - 1] : [], turn: e.turn ?? (run.callerTurns || undefined), message: e.message });
    else findings.push({ path: [], turn: run.callerTurns || undefined, message: `the scenario could not run: ${errorText(e)}` });
    // Show what happened up to the failure, and close the record.
    await call?.close();
    await typed?.end('scenario error');
    await conversation?.end('scenario error').catch(() => {});
    if (!run.transcript.length) collect(run, events, call);
    return done();
  } finally {
    await call?.close();
    await fake?.close();
    if (store && !o.store) await store.close();
  }
}

/**
 * Builds the run's transcript, tool calls, lead and bookings from the conversation's events. On a
 * voice call, caller turns are numbered by the line the caller was saying and carry what was said.
 */
function collect(run: ScenarioRun, events: ConversationEvent[], call?: VoiceCall): void {
  const turns: RunTurn[] = [];
  let callerTurn = 0;
  let taken = 0;
  for (const e of events) {
    if (e.type === 'turn.caller' || e.type === 'turn.agent') {
      const t: RunTurn = { seq: e.turn.seq, turn: callerTurn, role: e.turn.role, text: e.turn.heardText ?? e.turn.text, grounding: e.turn.grounding, documents: [], tools: [] };
      if (e.type === 'turn.caller') {
        const line = call ? (call.taken[taken++] ?? call.said.length - 1) : callerTurn;
        t.turn = callerTurn = line + 1;
        if (call) t.said = call.said[line];
      }
      turns.push(t);
    } else if (e.type === 'turn.latency') {
      const t = turns.find((x) => x.seq === e.seq && x.role === 'agent');
      if (t) t.latency = { ...t.latency, ...e.latency };
    } else if (e.type === 'turn.heard') {
      const t = turns.find((x) => x.seq === e.seq && x.role === 'agent');
      if (t) t.text = e.heardText;
    } else if (e.type === 'knowledge.hits') {
      const t = turns.find((x) => x.seq === e.seq);
      if (t) t.documents = e.hits.map((h) => (h.heading ? `${h.source} › ${h.heading}` : h.source));
    } else if (e.type === 'tool.call') run.toolCalls.push(e.call);
    else if (e.type === 'lead.saved') Object.assign(run.lead, e.fields);
    else if (e.type === 'booking.made') run.bookings.push(e.booking as BookingRecord);
    else if (e.type === 'conversation.ended') run.endReason = e.reason;
  }
  // A tool call is emitted before the agent turn it belongs to is complete.
  for (const call of run.toolCalls) turns.find((t) => t.seq === call.turnSeq && t.role === 'agent')?.tools.push(call as ToolCallRecord);
  run.transcript = turns;
}

/** Whether the scripted model was asked exactly as many times as the script has steps. */
function scriptUsage(fake: FakeOpenAI, steps: number, requestsBefore: number[]): Finding[] {
  const asked = fake.requests.length;
  const unused = fake.pending() - 1; // the overrun step always waits at the end
  if (asked > steps) {
    // The caller turn during which the script ran out.
    const turn = requestsBefore.findLastIndex((n) => n <= steps) + 1;
    return [{ path: ['model', 'script'], turn: turn || undefined, message: `the agent's model was asked more often than model.script has steps (${steps}): the conversation needed a model reply the script does not have` }];
  }
  if (unused > 0) {
    const first = steps - unused;
    return [{ path: ['model', 'script', first], message: `${unused} of ${steps} model.script steps were never used (from step ${first + 1} on): the agent asked its model fewer times than scripted` }];
  }
  return [];
}

/** The voice loop itself ended the call (every voice failed, the recogniser died, silence, time limit). */
function sessionTrouble(call: VoiceCall, events: ConversationEvent[], run: ScenarioRun): Finding[] {
  if (!call.endReason || call.endReason === 'agent ended' || call.endReason === 'caller hung up') return [];
  const errors = events.flatMap((e) => (e.type === 'error' ? [`${e.where}: ${e.message}`] : []));
  return [{ path: [], turn: run.callerTurns || undefined, message: `the voice loop ended the call (${call.endReason})${errors.length ? `: ${errors.join('; ')}` : ''}` }];
}

/** A caller line the agent took as several turns (a pause inside it ended the turn early). */
function splitTurns(call: VoiceCall, scripted: boolean, run: ScenarioRun): Finding[] {
  const out: Finding[] = [];
  call.said.forEach((text, i) => {
    const heard = run.transcript.filter((t) => t.role === 'caller' && t.turn === i + 1).map((t) => `"${t.text}"`);
    if (heard.length < 2) return;
    out.push({
      path: scripted ? ['caller', 'turns', i] : ['caller', 'simulate'],
      turn: i + 1,
      message: `the agent took this line as ${heard.length} turns (heard ${heard.join(', then ')}): a pause inside it ended the turn early; say it as one sentence, or raise listen.turn.minEndpointingDelayMs`,
    });
  });
  return out;
}

function failure(scenario: Scenario, f: Finding): Failure {
  return { field: f.path.join('.'), ...scenario.at(f.path), ...(f.turn !== undefined ? { turn: f.turn } : {}), message: f.message };
}
