import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Command } from 'commander';
import { commands } from '../../src/cli/commands.ts';
import { ROOT } from '../helpers/cli.ts';

// The command table in AGENTS.md is what coding agents read instead of `parley --help`: it must
// name every command and subcommand there is, and no option a command does not take.

/** `parley a b` → its options, for every command and subcommand the CLI has. */
async function cliCommands(): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const walk = (c: Command, path: string) => {
    const subs = c.commands.filter((s) => s.name() !== 'help');
    out.set(path, c.options.map((o) => o.long ?? o.short ?? ''));
    for (const s of subs) walk(s, `${path} ${s.name()}`);
  };
  for (const [name, load] of Object.entries(commands)) walk((await load()).command(), `parley ${name}`);
  return out;
}

/** Each row of the AGENTS.md command table: the `parley …` invocations in its command column. */
function tableRows(): { task: string; invocations: string[] }[] {
  const text = readFileSync(join(ROOT, 'AGENTS.md'), 'utf8');
  const table = text.slice(text.indexOf('| task | command |'));
  const rows = table.split('\n').slice(2);
  const end = rows.findIndex((r) => !r.startsWith('|'));
  return rows.slice(0, end).map((r) => {
    const [, task, command] = r.split(/(?<!\\)\|/).map((c) => c.trim());
    return { task: task!, invocations: [...command!.matchAll(/`(parley [^`]*)`/g)].map((m) => m[1]!) };
  });
}

describe('AGENTS.md command table = parley --help', () => {
  it('names every command and subcommand, and only real ones with real options', async () => {
    const cli = await cliCommands();
    const rows = tableRows();
    assert.ok(rows.length > 10, `read ${rows.length} rows`);
    const documented = new Set<string>();
    const wrong: string[] = [];
    for (const { invocations } of rows) {
      for (const inv of invocations) {
        const words = inv.split(/\s+/);
        // The longest run of words that is a command: `parley knowledge search <dir> …` → `parley knowledge search`.
        let path = '';
        for (let n = words.length; n >= 2 && !path; n--) if (cli.has(words.slice(0, n).join(' '))) path = words.slice(0, n).join(' ');
        if (!path) {
          wrong.push(`${inv}: no such command`);
          continue;
        }
        documented.add(path);
        for (const flag of inv.matchAll(/(?<![\w-])(--[a-z][a-z-]*)/g)) {
          if (!cli.get(path)!.includes(flag[1]!)) wrong.push(`${inv}: ${path} has no option ${flag[1]}`);
        }
      }
    }
    const leaves = [...cli.keys()].filter((p) => ![...cli.keys()].some((q) => q.startsWith(`${p} `)));
    const missing = leaves.filter((p) => !documented.has(p));
    assert.deepEqual({ wrong, missing }, { wrong: [], missing: [] });
  });
});
