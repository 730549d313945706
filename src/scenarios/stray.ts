import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { parse } from 'yaml';
import type { Agent } from '../agent/load.ts';
import { testsDir } from './load.ts';

// `parley test` reads scenarios from the agent's tests/ folder only. A scenario written elsewhere
// in the folder (next to agent.yaml, in a test/ or scenarios/ folder) would pass silently by never
// running; this finds such files so the command can name them and say why they did not run.

/** A file that looks like a scenario but was not run, and why. */
export interface StrayScenario {
  /** The file as the user would name it. */
  file: string;
  reason: string;
}

/** Named like a scenario: `*.test.yaml`, `*.scenario.yml` and the like. */
const SCENARIO_NAME = /\.(test|tests|scenario|scenarios|spec)\.ya?ml$/i;
/** Files bigger than this are not read to look for `caller:` (no scenario is that long). */
const MAX_BYTES = 256 * 1024;

/**
 * YAML files in the agent's folder, outside tests/, that are scenarios: named like one, or a
 * mapping with `caller:` (every scenario has one). agent.yaml, dot folders and node_modules are
 * left out. Sorted by path.
 */
export async function strayScenarioFiles(agent: Agent): Promise<StrayScenario[]> {
  const shown = dirname(agent.file);
  const reason = `outside ${testsDir(agent)}, the only folder parley test reads: move it there to run it`;
  const out: StrayScenario[] = [];
  for (const abs of await yamlFilesOutsideTests(agent.dir, agent.dir)) {
    if (abs === join(agent.dir, basename(agent.file))) continue;
    if (SCENARIO_NAME.test(abs) || (await hasCaller(abs))) out.push({ file: join(shown, relative(agent.dir, abs)), reason });
  }
  return out;
}

async function yamlFilesOutsideTests(root: string, dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (dir !== root || e.name !== 'tests') out.push(...(await yamlFilesOutsideTests(root, p)));
    } else if (e.isFile() && /\.ya?ml$/i.test(e.name)) out.push(p);
  }
  return out;
}

async function hasCaller(file: string): Promise<boolean> {
  try {
    if ((await stat(file)).size > MAX_BYTES) return false;
    const data: unknown = parse(await readFile(file, 'utf8'));
    return typeof data === 'object' && data !== null && !Array.isArray(data) && 'caller' in data;
  } catch {
    return false; // not YAML: not a scenario we could have run either
  }
}
