import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { test } from 'node:test';

// The house's layering rules (shared/DESIGN.md, docs/architecture.md), read from the imports
// themselves: a folder may import only the folders listed for it here.

const SRC = join(import.meta.dirname, '..', 'src');

const ALLOWED: Record<string, string[]> = {
  util: [],
  agent: ['util'],
  audio: ['util'],
  store: ['util'],
  knowledge: ['agent', 'store', 'util'],
  llm: ['agent', 'util'],
  speech: ['audio', 'util'],
  channels: ['agent', 'audio', 'util'],
  tools: ['agent', 'store', 'util'],
  guard: ['agent', 'store', 'util'],
  // Events out: the outbox's deliverer, webhook signing and posting (on knowledge's URL policy),
  // email with iCalendar invitations (tools' calendar). Below server and cli, which start it.
  events: ['agent', 'knowledge', 'store', 'tools', 'util'],
  analysis: ['agent', 'llm', 'store', 'util'],
  session: ['agent', 'audio', 'channels', 'knowledge', 'llm', 'speech', 'store', 'tools', 'util'],
  testing: ['audio', 'channels', 'speech', 'util'],
  // events: a scenario composes the emails its events would send (captured, never sent).
  scenarios: ['agent', 'analysis', 'audio', 'channels', 'events', 'knowledge', 'llm', 'session', 'speech', 'store', 'testing', 'tools', 'util'],
  server: ['agent', 'analysis', 'audio', 'channels', 'events', 'guard', 'knowledge', 'llm', 'session', 'speech', 'store', 'tools', 'util'],
  cli: ['agent', 'analysis', 'audio', 'channels', 'events', 'guard', 'knowledge', 'llm', 'scenarios', 'server', 'session', 'speech', 'store', 'testing', 'tools', 'util'],
};

interface Import {
  file: string;
  target: string;
}

function importsOf(): Import[] {
  const out: Import[] = [];
  for (const rel of readdirSync(SRC, { recursive: true }) as string[]) {
    if (!rel.endsWith('.ts')) continue;
    const file = join(SRC, rel);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g)) {
      out.push({ file: relative(SRC, file), target: normalize(join(dirname(rel), (m[1] ?? m[2])!)) });
    }
  }
  return out;
}

const folderOf = (path: string) => (path.includes('/') ? path.split('/')[0]! : '');

test('every src/ folder imports only the folders below it', () => {
  const imports = importsOf();
  assert.ok(imports.length > 300, `expected to read the imports of src/, read ${imports.length}`);
  const broken: string[] = [];
  for (const { file, target } of imports) {
    const from = folderOf(file);
    if (!from) continue; // src/index.ts is the package's front door: it may re-export anything
    if (target.startsWith('..')) {
      broken.push(`${file} imports ${target}: nothing in src/ imports from outside it`);
      continue;
    }
    const to = folderOf(target);
    if (to === from) continue;
    const allowed = ALLOWED[from];
    assert.ok(allowed, `src/${from}/ is a folder the layering rules do not name; add it to ALLOWED`);
    if (!allowed.includes(to)) broken.push(`${file} imports ${target}: ${from} may not depend on ${to || 'src/index.ts'}`);
  }
  assert.deepEqual(broken, []);
});

test('no door imports another door, and providers never import the session', () => {
  const broken: string[] = [];
  for (const { file, target } of importsOf()) {
    const [from, door] = file.split('/');
    if (from === 'channels' && door && !door.endsWith('.ts')) {
      const [to, other] = target.split('/');
      if (to === 'channels' && other && !other.endsWith('.ts') && other !== door) broken.push(`${file} imports ${target}`);
    }
    if ((from === 'speech' || from === 'tools' || from === 'llm') && folderOf(target) === 'session') broken.push(`${file} imports ${target}`);
  }
  assert.deepEqual(broken, []);
});

test('the rules themselves are acyclic', () => {
  const seen = new Set<string>();
  const visit = (f: string, path: string[]) => {
    assert.ok(!path.includes(f), `cycle in the layering rules: ${[...path, f].join(' → ')}`);
    if (seen.has(f)) return;
    for (const to of ALLOWED[f] ?? []) visit(to, [...path, f]);
    seen.add(f);
  };
  for (const f of Object.keys(ALLOWED)) visit(f, []);
});
