import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers/cli.ts';

// The npm name `parley` belongs to an unrelated library: the package is published as
// parley-voice with the `parley` command, and npm (which runs on any Node ≥ 20) must not warn
// about the engine on every `npx parley` in this folder.

describe('the package', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

  it('is named parley-voice, installs the parley command, and carries its own Node 24', () => {
    assert.equal(pkg.name, 'parley-voice');
    assert.equal(pkg.bin.parley, './bin/parley.js');
    assert.match(pkg.dependencies.node, /^\^24\./, 'Node 24 is a dependency, so the command can re-run itself on it wherever the package is installed');
    assert.equal(pkg.devDependencies.node, undefined);
  });

  it('declares an engine every npm here satisfies, so npx prints no EBADENGINE warning', () => {
    const npmNode = spawnSync('npm', ['exec', '--yes', '--', 'node', '-p', 'process.versions.node'], { cwd: ROOT, encoding: 'utf8' });
    const range = pkg.engines.node as string;
    const min = Number(/^>=(\d+)/.exec(range)?.[1]);
    assert.ok(min <= 20, `engines.node ${range} must admit the Node 20 npm runs on`);
    assert.doesNotMatch(npmNode.stderr, /EBADENGINE/);
  });
});
