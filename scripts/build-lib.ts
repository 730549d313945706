// Compiles src/ into the JavaScript the package runs and publishes (lib/, with .d.ts types):
// `npm run build`, run by `npm pack`/`npm publish` (prepack) and scripts/setup.sh. bin/parley.js
// runs lib/ while no file in src/ is newer than lib/BUILT, written last.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const lib = fileURLToPath(new URL('../lib', import.meta.url));
rmSync(lib, { recursive: true, force: true }); // no module of a deleted source file stays behind
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
writeFileSync(`${lib}/BUILT`, `${new Date().toISOString()}\n`);
console.log('parley: built src/ into lib/');
