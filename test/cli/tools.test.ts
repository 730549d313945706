import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, runParley } from '../helpers/cli.ts';

// `parley tools` reads the tools from the code, and docs/tools.md must name every built-in tool and
// every argument the code gives them — a doc that drifts from the code fails here.

describe('parley tools', () => {
  it('lists the example agent’s tools with their argument schemas, and docs/tools.md names every one', async () => {
    const r = await runParley(['tools', 'examples/sales-booking', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const tools = JSON.parse(r.stdout) as { name: string; parameters: { properties?: Record<string, unknown>; required?: string[] } }[];
    const names = tools.map((t) => t.name);
    for (const builtIn of ['search_knowledge', 'end_call', 'save_lead', 'check_availability', 'book_call']) assert.ok(names.includes(builtIn), `${builtIn} missing from ${names}`);
    assert.deepEqual(tools.find((t) => t.name === 'book_call')?.parameters.required, ['start', 'name', 'email']);
    const doc = readFileSync(join(ROOT, 'docs/tools.md'), 'utf8');
    for (const t of tools) {
      if (t.name === 'notify_sales_team') continue; // the example's own webhook
      assert.match(doc, new RegExp(`## \`${t.name}\``), `docs/tools.md has no section for ${t.name}`);
      const section = doc.split(`## \`${t.name}\``)[1]!.split('\n#')[0]!;
      for (const arg of Object.keys(t.parameters.properties ?? {})) {
        if (t.name === 'save_lead') continue; // its arguments are the agent's collect fields
        assert.match(section, new RegExp(`\`${arg}\``), `docs/tools.md: ${t.name} does not document ${arg}`);
      }
    }
  });
});
