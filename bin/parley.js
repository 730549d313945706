#!/usr/bin/env node
// Parley runs on Node 24 (native TypeScript). When started by an older system Node,
// re-run the same command with the Node 24 that `npm install` put in node_modules.
// Runs the built JavaScript (lib/, from `npm run build`) when it is there and no file in src/ is
// newer than it — lighter and quicker to start — else the TypeScript in src/ (a checkout being
// edited, or PARLEY_FROM_SOURCE=1).
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

/** lib/ holds a build of every file now in src/ (the stamp is written when a build finishes). */
function builtIsCurrent() {
  const at = (path) => fileURLToPath(new URL(path, import.meta.url));
  const stamp = at('../lib/BUILT');
  if (process.env.PARLEY_FROM_SOURCE === '1' || !existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  if (!existsSync(at('../src'))) return true;
  for (const rel of readdirSync(at('../src'), { recursive: true })) {
    if (statSync(at(`../src/${rel}`)).mtimeMs > built) return false;
  }
  return true;
}

await import(builtIsCurrent() ? '../lib/cli/main.js' : '../src/cli/main.ts');
