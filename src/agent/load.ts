import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { AgentLoadError, type AgentProblem } from './problems.ts';
import { applyLanguageDefaults } from './language-defaults.ts';
import { applyLatencyPreset } from './latency-presets.ts';
import { AgentFile, type AgentFileData } from './schema.ts';
import { fieldsAt } from './schema-fields.ts';
import { parseYamlSource } from './yaml-problems.ts';
import { collectProblem, collectSpec, type CollectSpec } from './collect.ts';

export type { CollectSpec } from './collect.ts';

/** A loaded, validated agent folder. */
export interface Agent {
  readonly name: string;
  readonly dir: string;
  /** Path of agent.yaml as the user named it (for messages). */
  readonly file: string;
  readonly config: AgentFileData;
  /** The persona's system prompt, read from `prompt` or `promptFile`. */
  readonly prompt: string;
  readonly collect: CollectSpec[];
  /** Hash of the folder's files (not its tests/): conversations record which version of the agent they talked to. */
  readonly version: string;
}

/** A problem found by a caller's own check, pinned by field path; the loader finds the line and column. */
export interface FieldProblem {
  path: (string | number)[];
  message: string;
}

/** Checks a command adds to the loader's (e.g. `parley check` asks whether each model and engine exists). */
export type ExtraChecks = (config: AgentFileData, dir: string) => FieldProblem[] | Promise<FieldProblem[]>;

/** Loads and validates an agent folder; throws AgentLoadError listing every problem. */
export async function loadAgent(dir: string, o: { checks?: ExtraChecks } = {}): Promise<Agent> {
  const absDir = resolve(dir);
  const fileName = ['agent.yaml', 'agent.yml'].find((f) => existsSync(join(absDir, f)));
  const file = join(dir, fileName ?? 'agent.yaml');
  if (!fileName) throw new AgentLoadError([{ file, line: 1, column: 1, field: '', message: 'agent.yaml not found in this folder' }]);

  const yaml = parseYamlSource(await readFile(join(absDir, fileName), 'utf8'), file);
  if (yaml.syntaxProblems.length) throw new AgentLoadError(yaml.syntaxProblems);

  const raw = yaml.doc.toJS() ?? {};
  const parsed = AgentFile.safeParse(raw);
  if (!parsed.success) {
    const problems = yaml.issues(parsed.error.issues, (path) => fieldsAt(AgentFile, path));
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    throw new AgentLoadError(problems);
  }
  const config = applyLanguageDefaults(applyLatencyPreset(parsed.data, raw), raw);
  const problems: AgentProblem[] = [];
  const point = (path: (string | number)[], message: string) => problems.push(yaml.problem(path, message));

  let prompt = config.persona.prompt ?? '';
  if (config.persona.prompt && config.persona.promptFile) point(['persona', 'promptFile'], 'set prompt or promptFile, not both');
  else if (config.persona.promptFile) {
    const promptPath = join(absDir, config.persona.promptFile);
    if (!existsSync(promptPath)) point(['persona', 'promptFile'], `file not found: ${config.persona.promptFile}`);
    else prompt = await readFile(promptPath, 'utf8');
  } else if (!config.persona.prompt) point(['persona'], 'persona needs a prompt (or a promptFile)');

  const seenTools = new Map<string, number>();
  config.tools.forEach((t, i) => {
    const name = t.type === 'webhook' ? t.name : t.type;
    if (seenTools.has(name)) point(['tools', i], `tool "${name}" is declared twice (first at tools.${seenTools.get(name)})`);
    seenTools.set(name, i);
  });

  const collect = config.collect.map((c) => collectSpec(c, config.timeZone));
  const seenFields = new Set<string>();
  collect.forEach((c, i) => {
    if (seenFields.has(c.field)) point(['collect', i], `field "${c.field}" is listed twice`);
    seenFields.add(c.field);
    const problem = collectProblem(c, config.collect[i]);
    if (problem) point(['collect', i, problem.key], problem.message);
  });
  config.tools.forEach((t, i) => {
    if (t.type !== 'webhook') return;
    const mapped = Array.isArray(t.collectFields) ? Object.fromEntries(t.collectFields.map((f) => [f, f])) : (t.collectFields ?? {});
    for (const [arg, field] of Object.entries(mapped)) {
      const at = Array.isArray(t.collectFields) ? t.collectFields.indexOf(field) : arg;
      if (!seenFields.has(field)) point(['tools', i, 'collectFields', at], `"${field}" is not a collect field (${[...seenFields].join(', ') || 'collect is empty'})`);
    }
  });

  for (const p of (await o.checks?.(config, absDir)) ?? []) point(p.path, p.message);

  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  if (problems.length) throw new AgentLoadError(problems);
  return {
    name: config.name ?? basename(absDir).toLowerCase().replace(/[^a-z0-9-]+/g, '-'),
    dir: absDir,
    file,
    config,
    prompt: prompt.trim(),
    collect,
    version: await folderHash(absDir),
  };
}

async function folderHash(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (d: string): Promise<void> => {
    const entries = (await readdir(d, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      // Test scenarios describe the agent, they are not part of it: adding one is not a new version.
      if (d === dir && e.name === 'tests' && e.isDirectory()) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) hash.update(relative(dir, p)).update('\0').update(await readFile(p)).update('\0');
    }
  };
  await walk(dir);
  return hash.digest('hex').slice(0, 12);
}
