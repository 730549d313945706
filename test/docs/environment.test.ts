import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadAgent } from '../../src/agent/load.ts';
import { missingKeys } from '../../src/cli/agent-checks.ts';
import { PROVIDERS } from '../../src/llm/providers.ts';
import { SPEECH_VENDORS } from '../../src/util/speech-vendors.ts';

// docs/environment.md is the one list of environment variables. It must name exactly the ones the
// code reads — a variable read but not listed is a secret nobody knows to set; one listed but
// never read misleads — and every PARLEY_/OTEL_ name any doc mentions must be one the code reads.

const ROOT = join(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');
// The operating system's, not Parley's settings.
const SYSTEM = new Set(['PATH', 'HOME']);

/** Every environment variable name the code reads: directly, through its tables, or as an agent.yaml default. */
function readByCode(): Set<string> {
  const names = new Set<string>();
  const files = [
    ...(readdirSync(SRC, { recursive: true }) as string[]).filter((rel) => rel.endsWith('.ts') && !rel.startsWith('testing/')).map((rel) => join(SRC, rel)),
    join(ROOT, 'bin', 'parley.js'), // the launcher chooses between lib/ and src/
  ];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\benv\??\.([A-Z][A-Z0-9_]*)\b|\benv\[['"]([A-Z][A-Z0-9_]*)['"]\]/g)) names.add((m[1] ?? m[2])!);
    // Tables of names read in a loop, e.g. { key: 'headersMs', env: 'PARLEY_HTTP_HEADERS_TIMEOUT_SEC' }.
    for (const m of text.matchAll(/\benv: '([A-Z][A-Z0-9_]*)'/g)) names.add(m[1]!);
  }
  for (const v of Object.values(SPEECH_VENDORS)) names.add(v.key).add(v.base);
  for (const p of Object.values(PROVIDERS)) if (p.keyEnv) names.add(p.keyEnv);
  // agent.yaml fields whose default is a variable: calendar.apiKey, channels.phone.authToken …
  for (const m of readFileSync(join(SRC, 'agent', 'schema.ts'), 'utf8').matchAll(/default\('\$\{([A-Z][A-Z0-9_]*)\}'\)/g)) names.add(m[1]!);
  for (const s of SYSTEM) names.delete(s);
  return names;
}

/** The variables in the first column of docs/environment.md's "Every variable" table. */
function listedInDoc(): Set<string> {
  const text = readFileSync(join(ROOT, 'docs', 'environment.md'), 'utf8');
  const table = text.slice(text.indexOf('## Every variable'));
  const names = new Set<string>();
  for (const line of table.split('\n')) {
    const first = /^\| ([^|]+) \|/.exec(line)?.[1];
    if (!first || first === 'variable' || first.startsWith('---')) continue;
    for (const m of first.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.add(m[1]!);
  }
  return names;
}

const DOCS = ['README.md', 'AGENTS.md', 'docs/llms.txt', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

describe('docs/environment.md', () => {
  const code = readByCode();
  const doc = listedInDoc();

  it('finds the variables in the code (the scan works)', () => {
    for (const n of ['OPENAI_API_KEY', 'ELEVENLABS_API_KEY', 'PARLEY_DATABASE_URL', 'PARLEY_HTTP_IDLE_TIMEOUT_SEC', 'CALCOM_API_KEY', 'TWILIO_ACCOUNT_SID', 'PARLEY_JUDGE_LLM', 'OTEL_SERVICE_NAME']) assert.ok(code.has(n), n);
    assert.ok(doc.size > 60, `read ${doc.size} names from the table`);
  });

  it('lists every variable the code reads', () => {
    assert.deepEqual([...code].filter((n) => !doc.has(n)).sort(), [], 'read by the code but missing from docs/environment.md');
  });

  it('lists no variable the code never reads', () => {
    assert.deepEqual([...doc].filter((n) => !code.has(n)).sort(), [], 'in docs/environment.md but never read');
  });

  it('no doc names a PARLEY_ or OTEL_ variable the code does not read', () => {
    // Parley's own tests and scripts read a few more (PARLEY_TEST_DATABASE_URL…); docs/testing.md names them.
    const dev = new Set<string>();
    for (const dir of ['test', 'scripts', 'bench']) {
      for (const rel of readdirSync(join(ROOT, dir), { recursive: true }) as string[]) {
        if (!rel.endsWith('.ts')) continue;
        for (const m of readFileSync(join(ROOT, dir, rel), 'utf8').matchAll(/\benv\??\.((?:PARLEY|OTEL)_[A-Z0-9_]*)\b/g)) dev.add(m[1]!);
      }
    }
    const wrong: string[] = [];
    for (const file of DOCS) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const m of text.matchAll(/(\$\{)?\b((?:PARLEY|OTEL)_[A-Z0-9_]*[A-Z0-9])\b(\*|_\*)?/g)) {
        if (m[1] || m[3]) continue; // ${NAME} is the author's own variable; PARLEY_HTTP_*_… a family
        if (!code.has(m[2]!) && !dev.has(m[2]!)) wrong.push(`${file}: ${m[2]}`);
      }
    }
    assert.deepEqual([...new Set(wrong)], []);
  });

  it('each example’s .env.example lists every key its agent needs, the voice’s included', async () => {
    for (const dir of readdirSync(join(ROOT, 'examples'))) {
      const agent = await loadAgent(join(ROOT, 'examples', dir));
      const file = join(ROOT, 'examples', dir, '.env.example');
      assert.ok(existsSync(file), `examples/${dir} has no .env.example`);
      const listed = new Set([...readFileSync(file, 'utf8').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));
      const needed = missingKeys(agent.config, {}).map((k) => k.name);
      assert.deepEqual(needed.filter((n) => !listed.has(n)), [], `examples/${dir}/.env.example`);
    }
  });
});
