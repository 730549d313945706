#!/usr/bin/env node
// Parley runs on Node 24 (native TypeScript). When started by an older system Node,
// re-run the same command with the Node 24 that `npm install` put in node_modules.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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
await import('../src/cli/main.ts');
