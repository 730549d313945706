#!/usr/bin/env node
// Parley runs on Node 24 (native TypeScript). When started by an older system Node,
// re-run the same command with the Node 24 that `npm install` put in node_modules.
// Runs the built JavaScript (lib/, from `npm run build`) when it is there — lighter and quicker to
// start — else the TypeScript in src/: in a git checkout while any file in src/ is newer than the
// build (Parley being edited), or with PARLEY_FROM_SOURCE=1.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  const local = fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url));
  if (!existsSync(local)) {
    console.error(`parley needs Node 24 or newer (this is ${process.version}). Run \`npm install\` in the Parley folder first.`);
    process.exit(1);
  }
  const r = spawnSync(local, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

/** Whether to run lib/: built (lib/BUILT is written last), and no newer source in a checkout. */
function builtIsCurrent() {
  const at = (path) => fileURLToPath(new URL(path, import.meta.url));
  const stamp = at('../lib/BUILT');
  if (process.env.PARLEY_FROM_SOURCE === '1' || !existsSync(stamp)) return false;
  // an installed package is not edited (and npm gives its files the time they were unpacked)
  if (!existsSync(at('../.git')) || !existsSync(at('../src'))) return true;
  const built = statSync(stamp).mtimeMs;
  for (const rel of readdirSync(at('../src'), { recursive: true })) {
    if (statSync(at(`../src/${rel}`)).mtimeMs > built) return false;
  }
  return true;
}

await import(builtIsCurrent() ? '../lib/cli/main.js' : '../src/cli/main.ts');
