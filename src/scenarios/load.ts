import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative } from 'node:path';
import type { Agent } from '../agent/load.ts';
import type { AgentProblem } from '../agent/problems.ts';
import { parseYamlSource, type Position, type YamlSource } from '../agent/yaml-problems.ts';
import { toolsForListing } from '../tools/registry.ts';
import { mcpStubNames } from './stub-mcp.ts';
import { ScenarioFile, type ScenarioData, type ScenarioMode } from './format.ts';
import { textPattern } from './match.ts';
import { scenarioInstant } from './time.ts';

/** A validated scenario, ready to run. */
export interface Scenario {
  readonly name: string;
  /** The file as the user would name it, or a label such as `replay:<id>` for generated ones. */
  readonly file: string;
  readonly data: ScenarioData;
  /** Where a field of the file is, for failures that point at the expectation; 1:1 when there is no file. */
  at(path: (string | number)[]): Position;
}

/** The scenarios of an agent and every problem found in them. */
export interface LoadedScenarios {
  scenarios: Scenario[];
  problems: AgentProblem[];
  /** Scenarios that match the filter but are not marked for the mode asked for. */
  otherMode: Scenario[];
}

/** The folder of an agent's scenarios, as the user would name it. */
export function testsDir(agent: Agent): string {
  return join(dirname(agent.file), 'tests');
}

/**
 * Reads and validates every `*.yaml`/`*.yml` under the agent's `tests/` folder (sorted by path),
 * checking each against the agent too: tools it names exist, stubs replace webhooks, times parse.
 * `filter` keeps scenarios whose name or file name contains it (or matches it, as `/regex/`);
 * `mode` keeps those whose `modes` include it (all of them when not given).
 */
export async function loadScenarios(agent: Agent, o: { filter?: string; mode?: ScenarioMode } = {}): Promise<LoadedScenarios> {
  const dir = testsDir(agent);
  const files = existsSync(join(agent.dir, 'tests')) ? await yamlFiles(join(agent.dir, 'tests')) : [];
  const scenarios: Scenario[] = [];
  const otherMode: Scenario[] = [];
  const problems: AgentProblem[] = [];
  const names = new Map<string, string>();
  for (const abs of files) {
    const file = join(dir, relative(join(agent.dir, 'tests'), abs));
    const loaded = parseScenario(await readFile(abs, 'utf8'), file, agent);
    problems.push(...loaded.problems);
    const s = loaded.scenario;
    if (!s) continue;
    if (names.has(s.name)) problems.push({ file, ...s.at(['name']), field: 'name', message: `another scenario has this name (${names.get(s.name)})` });
    names.set(s.name, file);
    if (!matchesFilter(s, o.filter)) continue;
    if (!o.mode || s.data.modes.includes(o.mode)) scenarios.push(s);
    else otherMode.push(s);
  }
  return { scenarios, problems, otherMode };
}

/** Parses one scenario file's text and checks it against the agent; problems carry file:line:column. */
export function parseScenario(source: string, file: string, agent: Agent): { scenario?: Scenario; problems: AgentProblem[] } {
  const yaml = parseYamlSource(source, file);
  if (yaml.syntaxProblems.length) return { problems: yaml.syntaxProblems };
  const parsed = ScenarioFile.safeParse(yaml.doc.toJS() ?? {});
  if (!parsed.success) {
    const problems = yaml.issues(parsed.error.issues);
    return { problems: problems.sort((a, b) => a.line - b.line || a.column - b.column) };
  }
  const data = parsed.data;
  const problems = agentProblems(data, agent, yaml);
  if (problems.length) return { problems };
  const name = data.name ?? basename(file, extname(file)).replace(/[-_]+/g, ' ');
  return { scenario: { name, file, data, at: (path) => yaml.at(path) }, problems: [] };
}

/** A scenario built in code (from a recorded conversation), validated like a file. */
export function scenarioFromData(input: unknown, label: string, agent: Agent): Scenario {
  const data = ScenarioFile.parse(input);
  return { name: data.name ?? label, file: label, data, at: () => ({ line: 1, column: 1 }) };
}

/** What a scenario says that the agent contradicts: unknown tools, stubs for non-webhooks, bad times. */
function agentProblems(data: ScenarioData, agent: Agent, yaml: YamlSource): AgentProblem[] {
  const problems: AgentProblem[] = [];
  const point = (path: (string | number)[], message: string, atKey = false) => problems.push(yaml.problem(path, message, atKey));
  const zone = agent.config.timeZone;
  const hasCalendar = Boolean(agent.config.calendar || data.stubs.calendar);
  const tools = toolNames(agent, hasCalendar);
  const webhooks = [...agent.config.tools.flatMap((t) => (t.type === 'webhook' ? [t.name] : [])), ...mcpStubNames(agent)];
  const unknownTool = (name: string) => `the agent has no tool "${name}" (its tools: ${tools.join(', ')})`;
  const checkNames = (path: (string | number)[], names: string[] | undefined) =>
    names?.forEach((n, i) => {
      if (!tools.includes(n)) point([...path, i], unknownTool(n));
    });

  for (const name of Object.keys(data.stubs.tools)) {
    if (!webhooks.includes(name)) point(['stubs', 'tools', name], `only webhook and MCP tools are stubbed here; agent.yaml declares no webhook or allowed MCP tool "${name}"${webhooks.length ? ` (stubbable: ${webhooks.join(', ')})` : ''}`, true);
  }
  if (data.stubs.now !== undefined && !scenarioInstant(data.stubs.now, zone)) point(['stubs', 'now'], 'not a time: use 2026-11-30T10:00:00+01:00 or 2026-11-30 10:00 (the agent’s zone)');
  data.stubs.calendar?.slots.forEach((slot, i) => {
    for (const [key, text] of typeof slot === 'string' ? [['', slot]] : [['start', slot.start], ['end', slot.end]]) {
      if (!scenarioInstant(text, zone)) point(['stubs', 'calendar', 'slots', i, ...(key ? [key] : [])], 'not a time: use 2026-12-01T14:00:00Z or 2026-12-01 15:00 (the agent’s zone)');
    }
  });
  data.model?.script?.forEach((step, i) =>
    step.toolCalls?.forEach((call, j) => {
      if (!tools.includes(call.name)) point(['model', 'script', i, 'toolCalls', j, 'name'], unknownTool(call.name));
    }),
  );
  data.caller.turns?.forEach((turn, i) => {
    checkNames(['caller', 'turns', i, 'expect', 'toolCalled'], turn.expect?.toolCalled?.map((t) => t.name));
    checkNames(['caller', 'turns', i, 'expect', 'toolNotCalled'], turn.expect?.toolNotCalled);
  });
  // A latency budget in a scenario that never runs in voice mode would be a check that cannot fail.
  if (!data.modes.includes('voice')) {
    const budgets: (string | number)[][] = [...(data.caller.turns ?? []).flatMap((t, i) => (t.expect?.latency ? [['caller', 'turns', i, 'expect', 'latency']] : [])), ...(data.expect.latency ? [['expect', 'latency']] : [])];
    for (const path of budgets) point(path, 'latency is measured in voice mode only: add `modes: [text, voice]` (or [voice]) to the scenario', true);
  }
  // Keys and hand-offs exist on a phone call only; a scenario that is not one could never use them.
  data.caller.turns?.forEach((turn, i) => {
    if (turn.keys === undefined) return;
    if (data.door !== 'phone') point(['caller', 'turns', i, 'keys'], 'keys are pressed on a phone call: add `door: phone` to the scenario', true);
    else if (data.modes.includes('voice')) point(['caller', 'turns', i, 'keys'], 'keys are pressed in text mode only: use `modes: [text]` for this scenario', true);
  });
  if (data.stubs.transfer) {
    if (data.door !== 'phone') point(['stubs', 'transfer'], 'a hand-off happens on a phone call: add `door: phone` to the scenario', true);
    else if (!agent.config.tools.some((t) => t.type === 'transfer')) point(['stubs', 'transfer'], 'agent.yaml declares no transfer tool', true);
  }
  checkNames(['expect', 'toolCalled'], data.expect.toolCalled?.map((t) => t.name));
  checkNames(['expect', 'toolNotCalled'], data.expect.toolNotCalled);
  const { booking } = data.expect;
  // Nothing booked is worth asserting of any agent; what was booked needs a calendar to book in.
  if (booking !== undefined && booking !== false && !hasCalendar) point(['expect', 'booking'], 'the agent has no calendar: add calendar: to agent.yaml or stubs.calendar to the scenario');
  if (booking && booking.start !== undefined && !scenarioInstant(booking.start, zone)) point(['expect', 'booking', 'start'], 'not a time');
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** The tools the model sees in a conversation with this agent, asked of the registry itself. */
function toolNames(agent: Agent, withCalendar: boolean): string[] {
  return [...Object.keys(toolsForListing(agent, { withCalendar })), ...mcpStubNames(agent)];
}

function matchesFilter(s: Scenario, filter: string | undefined): boolean {
  if (!filter) return true;
  const p = textPattern(filter);
  return p.find(s.name) !== undefined || p.find(basename(s.file)) !== undefined;
}

async function yamlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await yamlFiles(p)));
    else if (/\.ya?ml$/i.test(e.name)) out.push(p);
  }
  return out;
}
