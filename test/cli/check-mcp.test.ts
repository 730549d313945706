import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EXAMPLE, runParley, tempDir } from '../helpers/cli.ts';
import { startTestMcpServer, type TestMcpServer } from '../helpers/mcp-server.ts';

// `parley check` asks each MCP server what it offers, over the real protocol, and flags the
// allowed tools it does not offer.

describe('parley check with MCP servers', () => {
  let crm: TestMcpServer;
  let dir: string;
  before(async () => {
    crm = await startTestMcpServer();
    dir = join(tempDir(), 'agent');
    cpSync(EXAMPLE, dir, { recursive: true });
    const yaml = readFileSync(join(dir, 'agent.yaml'), 'utf8');
    const server = ['  - type: mcp', '    name: crm', `    url: ${crm.url}`, '    headers:', '      Authorization: Bearer ${CRM_MCP_TOKEN}', '    allow: [lookup_order, refund_order]'].join('\n');
    writeFileSync(join(dir, 'agent.yaml'), yaml.replace(/^tools:\n/m, `tools:\n${server}\n`));
  });
  after(() => crm.close());

  it('lists what each server offers and flags an allowed tool it does not offer', async () => {
    const r = await runParley(['check', dir], { env: { CRM_MCP_TOKEN: 'sekret-check-token-55' } });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /mcp crm: offers 7 tools: lookup_order, delete_everything, hang, fail, huge, call, end\.call/);
    assert.match(r.stdout, /allowed: lookup_order\n/);
    assert.match(r.stderr, /agent\.yaml:\d+:\d+ tools\.0\.allow\.1: the server "crm" offers no tool "refund_order"/);
    assert.ok(crm.log.authorizations.includes('Bearer sekret-check-token-55'));
  });

  it('--offline does not connect', async () => {
    const before = crm.log.authorizations.length;
    const r = await runParley(['check', dir, '--offline'], { env: { CRM_MCP_TOKEN: 'x-token-1234' } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(crm.log.authorizations.length, before);
  });
});
