import * as clack from '@clack/prompts';
import { Command } from 'commander';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { slug, planFromAnswers, planSummary, type InitContext, type InitPlan } from '../agent/init/plan.ts';
import { renderAgentFolder, type FolderFile } from '../agent/init/render.ts';
import { loadAgent } from '../agent/load.ts';
import { AgentLoadError, formatProblem, type AgentProblem } from '../agent/problems.ts';
import { secretRefs } from '../agent/secrets.ts';
import { formatOfPath } from '../knowledge/document.ts';
import { PROVIDERS } from '../llm/model.ts';
import { parseScenario } from '../scenarios/load.ts';
import { askPlanningQuestions, type Prompter, type SelectQuestion } from './init-wizard.ts';
import { errorText } from '../util/error-text.ts';

// `parley init`: plan first, build second. The planning questions come first (or an answers
// file), then the plan is shown and approved, and only then is the folder written — after
// it has been validated in a scratch folder with the loader `parley check` uses, so a wrong
// template fails here, loudly, instead of leaving a broken agent behind.

const SCHEMA_FILE = fileURLToPath(new URL('../../docs/agent.schema.json', import.meta.url));

/** `parley init [dir]`: asks the planning questions (or reads --answers), shows the plan, and writes a working agent folder. */
export function command(): Command {
  return new Command('init')
    .description('plan a new agent (questions, then the plan for approval), then write its folder')
    .argument('[dir]', 'the agent folder to write (default: ./<agent name>)')
    .option('--answers <file>', 'read the answers from a JSON file instead of asking (see AGENTS.md)')
    .option('--yes', 'write without asking for approval of the plan')
    .option('--force', 'write into a folder that is not empty (the files init writes are replaced)')
    .action(async (dirArg: string | undefined, o: { answers?: string; yes?: boolean; force?: boolean }) => {
      const cwd = process.cwd();
      const folderProblem = (dir: string) => (!o.force && !isEmptyFolder(dir) ? `${dir} exists and is not empty; choose another folder or use --force` : undefined);
      if (dirArg) {
        const taken = folderProblem(resolve(cwd, dirArg));
        if (taken) fail(1, `refusing to write: ${taken}`);
      }
      if (o.answers) return fromAnswersFile(o.answers, dirArg, { cwd, yes: Boolean(o.yes), folderProblem });
      if (!process.stdin.isTTY || !process.stdout.isTTY) fail(2, 'the planning questions need a terminal; without one, pass --answers answers.json (format: AGENTS.md)');
      return wizard(dirArg, { cwd, yes: Boolean(o.yes), folderProblem });
    });
}

interface RunOptions {
  cwd: string;
  yes: boolean;
  folderProblem(dir: string): string | undefined;
}

async function fromAnswersFile(file: string, dirArg: string | undefined, o: RunOptions): Promise<void> {
  if (!existsSync(file)) fail(2, `no such answers file: ${file}`);
  const source = readFileSync(file, 'utf8');
  const dirName = dirArg ?? defaultFolder(source);
  const dir = resolve(o.cwd, dirName ?? 'agent');
  const { plan, files, summary, problems, warnings } = planInit(source, file, { cwd: o.cwd, dir });
  for (const w of warnings) console.error(`warning: ${formatProblem(w)}`);
  if (!plan) {
    for (const p of problems) console.error(formatProblem(p));
    fail(1, `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${file}; nothing was written`);
  }
  if (!dirName) fail(2, `cannot name a folder after "${plan.business.name}"; give one: parley init --answers ${file} <dir>`);
  if (!dirArg) {
    const taken = o.folderProblem(dir);
    if (taken) fail(1, `refusing to write: ${taken}`);
  }
  console.log(`The plan\n\n${summary}\n`);
  if (!o.yes && !(await approved(`Write ${files.length} files to ${dirName}?`))) fail(1, 'not approved; nothing was written (pass --yes to write without asking)');
  await writeAgentFolder(plan, files).catch((e: unknown) => fail(70, errorText(e)));
  console.log(`Wrote ${files.length} files to ${dirName}.\n${nextSteps(dirName, plan)}`);
}

/** The plan for an answers text (JSON) and the files it would write to `dir`, or its problems; nothing is written. */
export function planInit(source: string, label: string, o: { cwd: string; dir: string }): { plan?: InitPlan; files: FolderFile[]; summary?: string; problems: AgentProblem[]; warnings: AgentProblem[] } {
  const { plan, problems, warnings } = planFromAnswers(source, label, context(o.cwd, o.dir));
  if (!plan) return { files: [], problems, warnings };
  const files = renderAgentFolder(plan);
  return { plan, files, summary: planSummary(plan, files.map((f) => f.path), { cwd: o.cwd }), problems, warnings };
}

async function wizard(dirArg: string | undefined, o: RunOptions): Promise<void> {
  clack.intro('parley init — plan first, build second');
  clack.log.info('A few questions first. Nothing is written until you approve the plan; Ctrl+C cancels.');
  const providers = Object.keys(PROVIDERS);
  const asked = await askPlanningQuestions(clackPrompter, { cwd: o.cwd, dir: dirArg, defaultTimeZone: machineZone(), providers, folderProblem: o.folderProblem });
  if (!asked) {
    clack.cancel('Cancelled. Nothing was written.');
    process.exit(1);
  }
  const dir = resolve(o.cwd, asked.dir);
  const { plan, problems } = planFromAnswers(JSON.stringify(asked.answers, null, 2), 'your answers', context(o.cwd, dir));
  if (!plan) {
    for (const p of problems) clack.log.error(`${p.field}: ${p.message}`);
    clack.cancel('Nothing was written.');
    process.exit(1);
  }
  const files = renderAgentFolder(plan);
  clack.note(planSummary(plan, files.map((f) => f.path), { cwd: o.cwd }), 'The plan');
  if (!o.yes) {
    const ok = await clack.confirm({ message: `Write ${files.length} files to ${asked.dir}?` });
    if (clack.isCancel(ok) || !ok) {
      clack.cancel('Not approved. Nothing was written.');
      process.exit(1);
    }
  }
  await writeAgentFolder(plan, files).catch((e: unknown) => {
    clack.cancel(errorText(e));
    process.exit(70);
  });
  clack.note(nextSteps(asked.dir, plan), `Wrote ${asked.dir}`);
  clack.outro('Talk to it, then change the files: the first version is never the last.');
}

/** The wizard's prompts, drawn by @clack/prompts. */
const clackPrompter: Prompter = {
  text: (o) => clack.text(o),
  // Options are plain strings here; clack's Option type is conditional on the value type.
  select: <V extends string>(o: SelectQuestion<V>) => clack.select<V>(o as unknown as Parameters<typeof clack.select<V>>[0]),
};

/** Where init runs: documents are read relative to `cwd`, the folder goes to `dir`. */
function context(cwd: string, dir: string): InitContext {
  return {
    cwd,
    dir,
    schemaRef: relative(dir, SCHEMA_FILE).split(sep).join('/'),
    providers: PROVIDERS,
    defaultTimeZone: machineZone(),
    readable: (path) => formatOfPath(path) !== undefined,
  };
}

/**
 * Writes the files into a scratch folder, validates them there exactly as `parley check` and
 * `parley test` would, and only then copies them into the agent folder.
 */
export async function writeAgentFolder(plan: InitPlan, files: FolderFile[]): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'parley-init-'));
  const staged = join(scratch, basename(plan.dir));
  try {
    for (const f of files) {
      const to = join(staged, f.path);
      mkdirSync(dirname(to), { recursive: true });
      if ('text' in f) writeFileSync(to, f.text);
      else copyFileSync(f.copyFrom, to);
    }
    const problems = await folderProblems(staged, plan);
    if (problems.length) {
      const shown = problems.map((p) => formatProblem({ ...p, file: p.file.split(staged).join(plan.dir) }));
      throw new Error(`parley init wrote an agent that does not pass its own checks (a bug in the ${plan.template} template; nothing was written):\n${shown.join('\n')}`);
    }
    mkdirSync(plan.dir, { recursive: true });
    cpSync(staged, plan.dir, { recursive: true, force: true });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** What `parley check` and `parley test` would refuse in a written folder, and secrets .env.example misses. */
async function folderProblems(dir: string, plan: InitPlan): Promise<AgentProblem[]> {
  let agent;
  try {
    agent = await loadAgent(dir);
  } catch (e) {
    if (e instanceof AgentLoadError) return e.problems;
    throw e;
  }
  const problems: AgentProblem[] = [];
  for (const f of readdirSync(join(dir, 'tests'))) {
    const file = join(dir, 'tests', f);
    problems.push(...parseScenario(readFileSync(file, 'utf8'), file, agent).problems);
  }
  const listed = new Set(plan.env.map((e) => e.name));
  for (const name of new Set(secretRefs(JSON.stringify(agent.config)))) {
    if (!listed.has(name)) problems.push({ file: join(dir, '.env.example'), line: 1, column: 1, field: '', message: `agent.yaml uses \${${name}} but .env.example does not list it` });
  }
  return problems;
}

/** Whether `dir` is missing or an empty folder (so writing there loses nothing). */
export function isEmptyFolder(dir: string): boolean {
  if (!existsSync(dir)) return true;
  return statSync(dir).isDirectory() && readdirSync(dir).length === 0;
}

/** ./<name> from an answers file, when it names the agent or the business. */
function defaultFolder(source: string): string | undefined {
  try {
    const raw = JSON.parse(source) as { name?: unknown; business?: { name?: unknown } };
    const name = typeof raw.name === 'string' ? raw.name : typeof raw.business?.name === 'string' ? slug(raw.business.name) : '';
    return name ? `./${name}` : undefined;
  } catch {
    return undefined; // the plan reports the syntax error with its position
  }
}

/** Approval from the terminal, or one line of piped input ("y" / "yes"). */
async function approved(question: string): Promise<boolean> {
  if (process.stdin.isTTY && process.stdout.isTTY) {
    const ok = await clack.confirm({ message: question });
    return !clack.isCancel(ok) && ok;
  }
  process.stdout.write(`${question} [y/N] `);
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    process.stdout.write('\n');
    return /^\s*y(es)?\s*$/i.test(line);
  }
  process.stdout.write('\n');
  return false;
}

function nextSteps(dir: string, plan: InitPlan): string {
  return [
    'Next:',
    `  parley check ${dir}        validate (run it after every edit)`,
    `  parley test ${dir}         the scripted scenarios in tests/ (no API key needed)`,
    ...(plan.env.length ? [`  set ${plan.env.map((e) => e.name).join(', ')} in the environment (see .env.example)`] : []),
    `  parley chat ${dir}         talk to it in the terminal; /trace shows the last tool call`,
    `Then add to ${dir}/knowledge/ what callers ask about.`,
  ].join('\n');
}

function machineZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function fail(code: number, message: string): never {
  console.error(`parley init: ${message}`);
  process.exit(code);
}
