// Measures a process's memory and the packages it loaded (PROBE_LIST=1 records every module file,
// ESM and CommonJS, through a module hook). Two ways:
//   node --expose-gc bench/startup/probe.ts ENTRY OUT   imports ENTRY (`-`: nothing), writes JSON to OUT
//   node --expose-gc --import ./bench/startup/probe.ts bin/parley.js serve …   with PROBE_OUT set:
//                                                        writes the JSON on SIGUSR2
// run.ts strips its types into a .mjs to measure plain-JavaScript processes without loading
// Node's TypeScript support, so keep it to erasable syntax.
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';

const files = new Set<string>();
if (process.env.PROBE_LIST === '1') {
  registerHooks({
    load(url, context, next) {
      files.add(url);
      return next(url, context);
    },
  });
}

function packages(): Record<string, number> {
  const count: Record<string, number> = {};
  for (const f of files) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f);
    const k = m ? m[1]! : f.includes('/src/') ? '(parley src)' : f.includes('/lib/') ? '(parley lib)' : '(other)';
    count[k] = (count[k] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(count).sort((a, b) => b[1] - a[1]));
}

function report(out = process.env.PROBE_OUT!): void {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  const result = { rss_mb: +(m.rss / 1e6).toFixed(1), heap_used_mb: +(m.heapUsed / 1e6).toFixed(1), external_mb: +(m.external / 1e6).toFixed(1), packages: packages() };
  writeFileSync(out, JSON.stringify(result));
}

process.on('SIGUSR2', () => report());
if (import.meta.main) {
  const [entry, out] = process.argv.slice(2);
  if (entry !== '-') await import(entry!);
  report(out);
}
