import { Command } from 'commander';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadAgent, type Agent } from '../agent/load.ts';
import { formatProblem } from '../agent/problems.ts';
import { scenarioFromRecord, scenarioYaml } from '../scenarios/from-record.ts';
import { junitXml, reportJson } from '../scenarios/junit.ts';
import { indexKnowledge } from '../scenarios/knowledge.ts';
import { loadScenarios, testsDir, type Scenario } from '../scenarios/load.ts';
import { patternProblem } from '../scenarios/match.ts';
import { scenarioModels } from '../scenarios/models.ts';
import { formatOutcome, formatSummary, terminalStyle, totals, type ScenarioOutcome, type TestReport } from '../scenarios/report.ts';
import { runScenario } from '../scenarios/run.ts';
import { strayScenarioFiles } from '../scenarios/stray.ts';
import { DEFAULT_CALLER_VOICE, scenarioSpeech, type ScenarioSpeech } from '../scenarios/voice-speech.ts';
import { SpeechUnavailableError } from '../speech/types.ts';
import { Records } from '../store/records.ts';
import { openStore } from '../store/store.ts';
import { bold, dim, exitOnAgentError } from './output.ts';
import { agentModels, knowledgeSpec } from './runtime.ts';

/**
 * `parley test [agent-dir]`: runs the scenarios in the agent's tests/ folder through a real
 * text conversation (or, with `--voice`, through the full voice loop) and exits 1 when any
 * fails; `--from <id>` writes a scenario from a recorded conversation instead.
 */
export function command(): Command {
  return new Command('test')
    .description("run the scenarios in an agent's tests/ folder; exit 1 when any fails")
    .argument('[agent-dir]', 'folder holding agent.yaml', '.')
    .option('--voice', 'run the scenarios marked `modes: [voice]` through the full voice loop: each caller turn spoken by a local voice, heard through the agent\'s VAD and speech-to-text, answered in its voice; latency budgets are checked')
    .option('--stt <provider:model>', "with --voice: the agent's ears instead of listen.stt, e.g. local:pocketsphinx")
    .option('--tts <provider:model>', "with --voice: the agent's voice instead of voice.tts, e.g. local:flite")
    .option('--caller-voice <provider:model[@voice]>', `with --voice: the caller's voice (default ${DEFAULT_CALLER_VOICE}), e.g. local:flite@slt`)
    .option('--filter <name>', 'only scenarios whose name or file name contains this (or matches /regex/)')
    .option('--repeat <n>', 'run each scenario N times and report its pass rate', '1')
    .option('--junit <file>', 'also write the results as JUnit XML')
    .option('--json <file>', 'also write the results as JSON')
    .option('--from <conversation-id>', "write a scenario from a recorded conversation into the agent's tests/ folder and print its path")
    .action(async (dir: string, o: { voice?: boolean; stt?: string; tts?: string; callerVoice?: string; filter?: string; repeat: string; junit?: string; json?: string; from?: string }) => {
      const speechFlags = ([['--stt', o.stt], ['--tts', o.tts], ['--caller-voice', o.callerVoice]] as const).filter(([, v]) => v !== undefined).map(([f]) => f);
      if (speechFlags.length && !o.voice) fail(2, `${speechFlags.join(', ')} ${speechFlags.length === 1 ? 'applies' : 'apply'} only in voice mode: add --voice`);
      if (o.voice && o.from) fail(2, '--from writes a scenario; it does not run one, so --voice does not apply');
      const repeat = Number(o.repeat);
      if (!Number.isInteger(repeat) || repeat < 1 || repeat > 1000) fail(2, `--repeat must be a whole number from 1 to 1000, not "${o.repeat}"`);
      const filterProblem = o.filter === undefined ? undefined : patternProblem(o.filter);
      if (filterProblem) fail(2, `--filter: ${filterProblem}`);

      const agent = await loadAgent(dir).catch(exitOnAgentError);
      if (o.from) return writeFromRecord(agent, o.from);

      const mode = o.voice ? 'voice' : 'text';
      const { scenarios, problems, otherMode } = await loadScenarios(agent, { filter: o.filter, mode });
      // Said before anything runs or fails: a scenario that never runs must not look like one that passed.
      const stray = await strayScenarioFiles(agent);
      for (const s of stray) console.error(`parley test: not run: ${s.file} — ${s.reason}`);
      if (problems.length) {
        for (const p of problems) console.error(formatProblem(p));
        fail(1, `${problems.length} problem${problems.length === 1 ? '' : 's'} found in scenario files`);
      }
      if (!scenarios.length && otherMode.length && o.voice) {
        fail(1, `no scenario${o.filter ? ` matching "${o.filter}"` : ''} in ${testsDir(agent)} runs in voice mode (${otherMode.length} ${otherMode.length === 1 ? 'is' : 'are'} text only): add \`modes: [text, voice]\` to the ones to run by voice`);
      }
      if (!scenarios.length && otherMode.length) fail(1, `no scenario${o.filter ? ` matching "${o.filter}"` : ''} in ${testsDir(agent)} runs in text mode (${otherMode.length} ${otherMode.length === 1 ? 'is' : 'are'} voice only): run them with --voice`);
      if (!scenarios.length) {
        const moved = stray.length ? ` (or move the ${stray.length === 1 ? 'scenario' : `${stray.length} scenarios`} listed above into it)` : '';
        fail(1, o.filter ? `no scenario in ${testsDir(agent)} matches "${o.filter}"` : `no scenarios in ${testsDir(agent)}: add one (docs/testing-agents.md) or write one from a conversation with --from <id>${moved}`);
      }
      let voice: ScenarioSpeech | undefined;
      if (o.voice) {
        try {
          voice = scenarioSpeech(agent, { stt: o.stt, tts: o.tts, callerVoice: o.callerVoice }, process.env);
        } catch (e) {
          if (!(e instanceof SpeechUnavailableError)) throw e;
          const agentOwn = /\((listen\.stt|voice\.tts)\)/.test(e.message);
          fail(2, `voice mode: ${e.message}${agentOwn ? ' — or test with local engines: --stt local:pocketsphinx --tts local:flite' : ''}`);
        }
      }

      const ac = new AbortController();
      process.once('SIGINT', () => ac.abort());
      console.log(bold(`parley test · ${agent.name} (version ${agent.version}) · ${scenarios.length} scenario${scenarios.length === 1 ? '' : 's'}${repeat > 1 ? ` × ${repeat} runs` : ''}${voice ? ' · voice' : ''}`));
      if (voice) console.log(dim(`ears ${voice.stt.id} · voice ${voice.tts.id}${voice.voiceId ? `@${voice.voiceId}` : ''} · caller ${voice.caller.label}`));
      else if (otherMode.length) console.log(dim(`(${otherMode.length} voice-only scenario${otherMode.length === 1 ? '' : 's'} not run: use --voice)`));
      const report = await runAgentScenarios(agent, scenarios, {
        repeat,
        voice,
        signal: ac.signal,
        log: (line) => console.error(dim(line)),
        onOutcome: (outcome) => console.log(formatOutcome(outcome, repeat, terminalStyle()).join('\n')),
      });
      console.log(`\n${formatSummary(report)}`);

      if (o.junit) write(o.junit, junitXml(report));
      if (o.json) write(o.json, `${JSON.stringify(reportJson(report), null, 2)}\n`);
      process.exitCode = totals(report).failed > 0 || ac.signal.aborted ? 1 : 0;
    });
}

/**
 * Runs scenarios against an agent, each `repeat` times, on a private copy of its indexed
 * knowledge; stops between runs once `signal` aborts. `onOutcome` hears each scenario as it ends.
 */
export async function runAgentScenarios(
  agent: Agent,
  scenarios: Scenario[],
  o: { repeat?: number; voice?: ScenarioSpeech; signal: AbortSignal; log?: (line: string) => void; onOutcome?: (outcome: ScenarioOutcome) => void },
): Promise<TestReport> {
  const repeat = o.repeat ?? 1;
  const t0 = performance.now();
  const knowledge = await indexKnowledge(agent, knowledgeSpec(agent).sources, o.signal);
  for (const f of knowledge.report.failed) {
    const page = /^https?:\/\//i.test(f.source) && !f.message.includes('stand-in');
    o.log?.(`knowledge: could not read ${f.source}: ${f.message}${page ? ` (give it a stand-in file tests read instead: sources: [{ url: ${f.source}, offline: knowledge/<copy>.md }], docs/knowledge.md)` : ''}`);
  }
  const models = scenarioModels(async (m) => (await agentModels(agent, process.env, m)).models);
  const report: TestReport = { agent: agent.name, version: agent.version, repeat, outcomes: [], durationMs: 0 };
  try {
    for (const scenario of scenarios) {
      if (o.signal.aborted) break;
      const outcome: ScenarioOutcome = { name: scenario.name, file: scenario.file, runs: [] };
      for (let i = 0; i < repeat && !o.signal.aborted; i++) {
        const run = await runScenario(scenario, { agent, knowledge, models, voice: o.voice, signal: o.signal });
        outcome.runs.push(run);
        if (run.status === 'skipped') break; // the missing model will not appear on the next run
      }
      report.outcomes.push(outcome);
      o.onOutcome?.(outcome);
    }
  } finally {
    await knowledge.store.close();
  }
  report.durationMs = performance.now() - t0;
  return report;
}

/** `--from`: the recorded conversation as a scenario file in tests/, for the owner to edit. */
async function writeFromRecord(agent: Agent, id: string): Promise<void> {
  const store = await openStore();
  const rec = await new Records(store.db).get(id);
  await store.close();
  if (!rec) fail(1, `no single conversation matches "${id}" (see \`parley conversations list\`)`);
  if (rec.agent !== agent.name) fail(1, `conversation ${rec.id.slice(0, 8)} was with agent "${rec.agent}", not "${agent.name}"`);
  if (!rec.turns.some((t) => t.role === 'caller')) fail(1, `conversation ${rec.id.slice(0, 8)} has no caller turns to turn into a scenario`);
  const file = join(testsDir(agent), `recorded-${rec.id.slice(0, 8)}.yaml`);
  if (existsSync(file)) fail(1, `${file} already exists; delete or rename it to write it again`);
  write(file, scenarioYaml(scenarioFromRecord(rec, agent, { purpose: 'test' })));
  console.log(file);
}

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function fail(code: number, message: string): never {
  console.error(`parley test: ${message}`);
  process.exit(code);
}
