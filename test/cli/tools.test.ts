import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { ROOT, runParley, tempDir } from '../helpers/cli.ts';

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

  it('shows which private addresses each webhook, the knowledge URLs and the event webhooks may reach (no key needed)', async () => {
    const dir = join(tempDir('parley-tools-net-'), 'desk');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'agent.yaml'),
      [
        'persona: { prompt: p, firstMessage: Hi. }',
        'knowledge: { sources: [] }',
        'tools:',
        '  - { type: webhook, name: account_lookup, description: Look an account up., url: "https://api.ledgerly.internal/v1/accounts/{email}", method: GET, allowPrivateUrls: [api.ledgerly.internal], parameters: { type: object, properties: { email: { type: string } } } }',
        '  - { type: webhook, name: open_ticket, description: Open a ticket., url: "https://tickets.example.com/new", allowPrivateUrls: false }',
        '  - { type: webhook, name: notify, description: Tell the team., url: "https://hooks.example.com/x" }',
        '',
      ].join('\n'),
    );
    const json = await runParley(['tools', dir, '--json']);
    assert.equal(json.code, 0, json.stderr);
    const byName = Object.fromEntries((JSON.parse(json.stdout) as { name: string; network?: unknown }[]).map((t) => [t.name, t.network]));
    assert.deepEqual(byName.account_lookup, { url: 'https://api.ledgerly.internal/v1/accounts/{email}', privateAddresses: ['api.ledgerly.internal'] });
    assert.deepEqual(byName.open_ticket, { url: 'https://tickets.example.com/new', privateAddresses: 'none' });
    assert.deepEqual(byName.notify, { url: 'https://hooks.example.com/x', privateAddresses: 'any' });
    assert.equal(byName.end_call, undefined);
    const text = await runParley(['tools', dir]);
    assert.match(text.stdout, /private addresses: only api\.ledgerly\.internal/);
    assert.match(text.stdout, /knowledge URLs none \(public addresses only\); event webhooks none/);
  });
});
