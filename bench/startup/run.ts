// How much memory a Parley process holds before any caller: RSS after importing the library
// and after `parley serve` has started with the demo agent, next to the floor (Node running an
// empty file). Each twice: from the TypeScript in src/ (development) and from the JavaScript
// build in lib/ (what the package runs; `npm run build`; left out when lib/ is missing or older
// than src/). Each is a fresh child process; numbers after a GC.
//   node bench/startup/run.ts [checkout]   PROBE_LIST=1 also lists the packages each one loaded
// `checkout`: another Parley folder to measure with this probe (e.g. the main branch, to compare).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

type Probe = { rss_mb: number; heap_used_mb: number; external_mb: number; packages: Record<string, number> };
const root = process.argv[2] ? resolve(process.argv[2]) : fileURLToPath(new URL('../..', import.meta.url));
const node = process.execPath;
const probeTs = fileURLToPath(new URL('./probe.ts', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'parley-startup-'));
const out = (name: string) => join(tmp, `${name}.json`);
// the same probe as plain JavaScript, so a JS process never loads Node's TypeScript support
const probeJs = join(tmp, 'probe.mjs');
writeFileSync(probeJs, stripTypeScriptTypes(readFileSync(probeTs, 'utf8')));
type Form = { probe: string; env: Record<string, string> };
const TS: Form = { probe: probeTs, env: { PARLEY_FROM_SOURCE: '1' } };
const JS: Form = { probe: probeJs, env: {} };

/** lib/ is a build of today's src/ (as bin/parley.js decides before running it). */
function builtIsCurrent(): boolean {
  const stamp = join(root, 'lib/BUILT');
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  return (readdirSync(join(root, 'src'), { recursive: true }) as string[]).every((rel) => statSync(join(root, 'src', rel)).mtimeMs <= built);
}

function imported(name: string, entry: string, form: Form): Probe {
  const r = spawnSync(node, ['--expose-gc', form.probe, entry, out(name)], { cwd: tmp, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${name}: exit ${r.status}`);
  return JSON.parse(readFileSync(out(name), 'utf8')) as Probe;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Starts `parley serve` on the demo agent, waits for it to listen and warm up, then probes it. */
async function served(name: string, form: Form, env: Record<string, string> = {}): Promise<Probe> {
  const port = await freePort();
  const child = spawn(node, ['--expose-gc', '--import', form.probe, join(root, 'bin/parley.js'), 'serve', join(root, 'examples/sales-booking'), '--port', String(port), '--host', '127.0.0.1'], {
    cwd: tmp, // nothing lands in the checkout
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PROBE_OUT: out(name),
      PARLEY_ADMIN_TOKEN: 'bench',
      PARLEY_SESSION_SECRET: 'bench',
      PARLEY_METRICS_TOKEN: 'bench',
      OPENAI_API_KEY: 'sk-bench-not-called', // the demo agent's model; nothing is asked of it at start
      PARLEY_LOCAL_FALLBACK: 'off',
      PARLEY_DATABASE_URL: `file:${join(tmp, `${name}.db`)}`,
      ...form.env,
      ...env,
    },
  });
  let log = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const seen = (b: Buffer) => {
        log += b;
        if (log.includes('Server listening')) resolve();
      };
      child.stdout!.on('data', seen);
      child.stderr!.on('data', seen);
      child.once('exit', (code) => reject(new Error(`${name}: serve exited (${code}) before listening:\n${log}`)));
    });
    // the ready line comes before the event loop has run the Silero warm-up's last turns
    await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: 'Bearer bench' } }).then((r) => r.text());
    await new Promise((r) => setTimeout(r, 1000));
    const written = new Promise<void>((r) => {
      const t = setInterval(() => {
        try {
          JSON.parse(readFileSync(out(name), 'utf8'));
          clearInterval(t);
          r();
        } catch {}
      }, 50);
    });
    child.kill('SIGUSR2');
    await written;
    return JSON.parse(readFileSync(out(name), 'utf8')) as Probe;
  } finally {
    child.kill('SIGKILL');
  }
}

const rows: [string, string, Probe][] = [];
const js = builtIsCurrent();
if (!js) console.error('lib/ is missing or older than src/ (npm run build): measuring the TypeScript only');
try {
  rows.push(['Node 24, empty .ts file (the TypeScript floor)', 'node --expose-gc bench/startup/probe.ts - OUT', imported('floor', '-', TS)]);
  if (js) rows.push(['Node 24, empty .js file (the JavaScript floor)', 'node --expose-gc probe.mjs - OUT', imported('floor-js', '-', JS)]);
  rows.push(['import src/index.ts (the library, TypeScript)', 'node --expose-gc bench/startup/probe.ts src/index.ts OUT', imported('index', join(root, 'src/index.ts'), TS)]);
  if (js) rows.push(['import lib/index.js (the library as published)', 'node --expose-gc probe.mjs lib/index.js OUT', imported('index-js', join(root, 'lib/index.js'), JS)]);
  rows.push(['`parley serve` + demo agent, Silero pool warm (4), TypeScript', 'PARLEY_FROM_SOURCE=1 parley serve examples/sales-booking', await served('serve', TS)]);
  if (js) rows.push(['`parley serve` + demo agent, Silero pool warm (4), lib/', 'parley serve examples/sales-booking', await served('serve-js', JS)]);
  rows.push(['`parley serve` + demo agent, PARLEY_VAD_WARM=0, TypeScript', 'PARLEY_FROM_SOURCE=1 PARLEY_VAD_WARM=0 parley serve examples/sales-booking', await served('serve-cold', TS, { PARLEY_VAD_WARM: '0' })]);
  if (js) rows.push(['`parley serve` + demo agent, PARLEY_VAD_WARM=0, lib/', 'PARLEY_VAD_WARM=0 parley serve examples/sales-booking', await served('serve-cold-js', JS, { PARLEY_VAD_WARM: '0' })]);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log('| process | RSS | heap used | external |');
console.log('|---|---|---|---|');
for (const [name, , p] of rows) console.log(`| ${name} | ${p.rss_mb} MB | ${p.heap_used_mb} MB | ${p.external_mb} MB |`);
if (process.env.PROBE_LIST === '1') for (const [name, , p] of rows) console.log(`\n${name}:\n  ${Object.entries(p.packages).map(([k, v]) => `${k} ${v}`).join(', ')}`);
console.log(JSON.stringify(Object.fromEntries(rows.map(([name, command, p]) => [name, { command, rss_mb: p.rss_mb, heap_used_mb: p.heap_used_mb }]))));
