import { Command } from 'commander';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadAgent, type Agent } from '../agent/load.ts';
import { formatProblem } from '../agent/problems.ts';
import { scenarioFromRecord, scenarioYaml } from '../scenarios/from-record.ts';
import { junitXml, reportJson } from '../scenarios/junit.ts';
import { indexKnowledge } from '../scenarios/knowledge.ts';
import { loadScenarios, testsDir } from '../scenarios/load.ts';
import { patternProblem } from '../scenarios/match.ts';
import { scenarioModels } from '../scenarios/models.ts';
import { formatOutcome, formatSummary, terminalStyle, totals, type ScenarioOutcome, type TestReport } from '../scenarios/report.ts';
import { runScenario } from '../scenarios/run.ts';
import { Records } from '../store/records.ts';
import { openStore } from '../store/store.ts';
import { bold, dim, exitOnAgentError } from './output.ts';
import { agentModels, knowledgeSpec } from './runtime.ts';

/**
 * `parley test [agent-dir]`: runs the scenarios in the agent's tests/ folder through a real
 * text conversation and exits 1 when any fails; `--from <id>` writes a scenario from a
 * recorded conversation instead.
 */
export function command(): Command {
  return new Command('test')
    .description("run the scenarios in an agent's tests/ folder (text mode); exit 1 when any fails")
    .argument('[agent-dir]', 'folder holding agent.yaml', '.')
    .option('--voice', 'run the scenarios through the voice loop (not available in this build)')
    .option('--filter <name>', 'only scenarios whose name or file name contains this (or matches /regex/)')
    .option('--repeat <n>', 'run each scenario N times and report its pass rate', '1')
    .option('--junit <file>', 'also write the results as JUnit XML')
    .option('--json <file>', 'also write the results as JSON')
    .option('--from <conversation-id>', "write a scenario from a recorded conversation into the agent's tests/ folder and print its path")
    .action(async (dir: string, o: { voice?: boolean; filter?: string; repeat: string; junit?: string; json?: string; from?: string }) => {
      if (o.voice) fail(2, 'voice mode needs the voice loop (not available in this build); run `parley test` without --voice to test in text mode');
      const repeat = Number(o.repeat);
      if (!Number.isInteger(repeat) || repeat < 1 || repeat > 1000) fail(2, `--repeat must be a whole number from 1 to 1000, not "${o.repeat}"`);
      const filterProblem = o.filter === undefined ? undefined : patternProblem(o.filter);
      if (filterProblem) fail(2, `--filter: ${filterProblem}`);

      const agent = await loadAgent(dir).catch(exitOnAgentError);
      if (o.from) return writeFromRecord(agent, o.from);

      const { scenarios, problems } = await loadScenarios(agent, { filter: o.filter });
      if (problems.length) {
        for (const p of problems) console.error(formatProblem(p));
        fail(1, `${problems.length} problem${problems.length === 1 ? '' : 's'} found in scenario files`);
      }
      if (!scenarios.length) {
        fail(1, o.filter ? `no scenario in ${testsDir(agent)} matches "${o.filter}"` : `no scenarios in ${testsDir(agent)}: add one (docs/testing-agents.md) or write one from a conversation with --from <id>`);
      }

      const ac = new AbortController();
      process.once('SIGINT', () => ac.abort());
      const t0 = performance.now();
      const knowledge = await indexKnowledge(agent, knowledgeSpec(agent).sources, ac.signal);
      for (const f of knowledge.report.failed) console.error(dim(`knowledge: could not read ${f.source}: ${f.message}`));
      const models = scenarioModels(async () => (await agentModels(agent)).models);
      console.log(bold(`parley test · ${agent.name} (version ${agent.version}) · ${scenarios.length} scenario${scenarios.length === 1 ? '' : 's'}${repeat > 1 ? ` × ${repeat} runs` : ''}`));

      const report: TestReport = { agent: agent.name, version: agent.version, repeat, outcomes: [], durationMs: 0 };
      for (const scenario of scenarios) {
        const outcome: ScenarioOutcome = { name: scenario.name, file: scenario.file, runs: [] };
        for (let i = 0; i < repeat && !ac.signal.aborted; i++) {
          const run = await runScenario(scenario, { agent, knowledge, models, signal: ac.signal });
          outcome.runs.push(run);
          if (run.status === 'skipped') break; // the missing model will not appear on the next run
        }
        report.outcomes.push(outcome);
        console.log(formatOutcome(outcome, repeat, terminalStyle()).join('\n'));
      }
      await knowledge.store.close();
      report.durationMs = performance.now() - t0;
      console.log(`\n${formatSummary(report)}`);

      if (o.junit) write(o.junit, junitXml(report));
      if (o.json) write(o.json, `${JSON.stringify(reportJson(report), null, 2)}\n`);
      process.exitCode = totals(report).failed > 0 || ac.signal.aborted ? 1 : 0;
    });
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
