import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from './helpers/cli.ts';
import * as parley from '../src/index.ts';
import { AgentFile } from '../src/agent/schema.ts';
import { Records } from '../src/store/records.ts';

// src/index.ts is the package's front door (issue 19: a light process). Importing it must not load
// the agent schema, the store, the model SDKs or the phone-number tables; its exports stay the same.

/** The packages a fresh process has loaded after running `code` (an ES module body). */
function packagesLoaded(code: string, node: string[] = []): string[] {
  const hook = `import { registerHooks } from 'node:module';
const seen = new Set();
registerHooks({ load(url, context, next) { const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(url); if (m) seen.add(m[1]); return next(url, context); } });
${code}
console.log(JSON.stringify([...seen].sort()));`;
  const r = spawnSync(process.execPath, [...node, '--input-type=module', '-e', hook], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as string[];
}

const HEAVY = ['zod', 'kysely', 'ai', 'yaml', 'libphonenumber-js', 'temporal-polyfill', '@ai-sdk/openai', 'pg', 'ioredis'];

describe('the front door (src/index.ts)', () => {
  it('exports what it always has', () => {
    assert.deepEqual(Object.keys(parley).sort(), [
      'AgentFile', 'AgentLoadError', 'Conversation', 'ModelConfigError', 'Records', 'TextSession', 'VoiceSession',
      'agentJsonSchema', 'calendarFor', 'formatProblem', 'ingestKnowledge', 'loadAgent', 'modelChoice', 'openStore',
      'resolveModel', 'searchKnowledge',
    ]);
  });

  it('loads none of the heavy packages on import, and the schema once an agent is loaded', () => {
    const index = JSON.stringify(join(ROOT, 'src/index.ts'));
    const onImport = packagesLoaded(`await import(${index});`);
    assert.deepEqual(onImport.filter((p) => HEAVY.includes(p)), []);
    const onLoad = packagesLoaded(`const p = await import(${index}); await p.loadAgent(${JSON.stringify(join(ROOT, 'examples/sales-booking'))});`);
    assert.ok(onLoad.includes('zod') && onLoad.includes('yaml'), onLoad.join(', '));
    assert.ok(!onLoad.includes('kysely'), 'loading an agent opens no store');
  });

  it('hands out the real schema and classes once touched', () => {
    assert.equal(parley.AgentFile.shape, AgentFile.shape);
    assert.equal(parley.AgentFile.safeParse({ name: 1 }).success, false);
    assert.equal(parley.Records.prototype, Records.prototype);
    const records = new parley.Records({} as never, 'sqlite');
    assert.ok(records instanceof Records && records instanceof parley.Records);
    assert.equal(records.kind, 'sqlite');
    assert.equal(parley.modelChoice({ llm: 'openai:gpt-4o-mini' }).spec, 'openai:gpt-4o-mini');
  });
});

describe('the package exports', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const targets = Object.values(pkg.exports as Record<string, Record<string, string>>);

  it('map each entry to the built JavaScript of a file in src/, and to that file under the parley-source condition', () => {
    for (const t of [...targets, { 'parley-source': './src/index.ts', types: pkg.types, default: pkg.main }]) {
      const source = t['parley-source']!;
      assert.ok(existsSync(join(ROOT, source)), source);
      assert.equal(t.default, source.replace(/^\.\/src\//, './lib/').replace(/\.ts$/, '.js'));
      assert.equal(t.types, source.replace(/^\.\/src\//, './lib/').replace(/\.ts$/, '.d.ts'));
    }
  });

  const built = join(ROOT, 'lib/BUILT');
  it('resolve by name to files the build wrote (after npm run build, which scripts/setup.sh runs)', { skip: !existsSync(built) && 'lib/ is not built' }, () => {
    for (const t of targets) for (const file of [t.default!, t.types!]) assert.ok(statSync(join(ROOT, file)).isFile(), file);
    const resolve = (conditions: string[]) =>
      spawnSync(process.execPath, [...conditions, '--input-type=module', '-e', "console.log(import.meta.resolve('parley-voice'))"], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
    assert.ok(resolve([]).endsWith('/lib/index.js'), resolve([]));
    assert.ok(resolve(['--conditions=parley-source']).endsWith('/src/index.ts'));
  });
});

describe('bin/parley.js', () => {
  /** Which cli/main the launcher imported: `lib` or `src`. */
  function ranFrom(env: NodeJS.ProcessEnv): string {
    const hook = `data:text/javascript,import { registerHooks } from 'node:module'; registerHooks({ load(url, c, next) { if (/\\/cli\\/main\\.(js|ts)$/.test(url)) process.stderr.write('MAIN ' + url + '\\n'); return next(url, c); } });`;
    const r = spawnSync(process.execPath, ['--import', hook, join(ROOT, 'bin/parley.js'), '--version'], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return /MAIN .*\/(lib|src)\/cli\/main\.(?:js|ts)/.exec(r.stderr)?.[1] ?? r.stderr;
  }

  it('runs the TypeScript with PARLEY_FROM_SOURCE=1', () => {
    assert.equal(ranFrom({ PARLEY_FROM_SOURCE: '1' }), 'src');
  });

  it('runs lib/ when it is built and no file in src/ is newer', { skip: !existsSync(join(ROOT, 'lib/BUILT')) && 'lib/ is not built' }, () => {
    const built = statSync(join(ROOT, 'lib/BUILT')).mtimeMs;
    const stale = (readdirSync(join(ROOT, 'src'), { recursive: true }) as string[]).some((rel) => statSync(join(ROOT, 'src', rel)).mtimeMs > built);
    assert.equal(ranFrom({ PARLEY_FROM_SOURCE: '' }), stale ? 'src' : 'lib');
  });
});
