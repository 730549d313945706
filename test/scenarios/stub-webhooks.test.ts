import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { WebhookTool } from '../../src/agent/schema.ts';
import { ModelConfigError } from '../../src/llm/model.ts';
import { parseScenario } from '../../src/scenarios/load.ts';
import { scenarioModels } from '../../src/scenarios/models.ts';
import { runScenario } from '../../src/scenarios/run.ts';
import { stubWebhooks } from '../../src/scenarios/stub-webhooks.ts';
import { EXAMPLE } from '../helpers/cli.ts';

// Webhook stubs answer the tool that built the request, path parameters, signed requests and
// secrets the environment lacks included.

const noModels = scenarioModels(async () => {
  throw new ModelConfigError('no API key');
}, {});

const lookup = WebhookTool.parse({
  type: 'webhook',
  name: 'lookup_account',
  description: 'Looks up an account by email.',
  method: 'GET',
  url: 'https://api.ledgerly.internal/v1/accounts/{email}',
  parameters: { type: 'object', properties: { email: { type: 'string' } }, required: ['email'] },
});
const search = WebhookTool.parse({ ...lookup, name: 'search_accounts', url: 'https://api.ledgerly.internal/v1/accounts/search' });
const ticket = WebhookTool.parse({
  type: 'webhook',
  name: 'open_ticket',
  description: 'Opens a ticket.',
  url: '${TICKET_API}/v1/tickets/{email}',
  signingSecret: '${TICKET_SIGNING_SECRET}',
  parameters: { type: 'object', properties: { email: { type: 'string' }, summary: { type: 'string' } }, required: ['email'] },
});

describe('webhook stubs', () => {
  let agent: Agent;
  before(async () => {
    const base = await loadAgent(EXAMPLE);
    agent = { ...base, config: { ...base.config, tools: [...base.config.tools, lookup, search, ticket] } };
  });

  it('answer a tool whose URL has a path parameter, a literal path first', async () => {
    const hooks = stubWebhooks(agent, { lookup_account: [{ status: 200, body: { plan: 'pro' } }], search_accounts: [{ status: 200, body: 'search' }] }, {});
    const res = await hooks.fetch('https://api.ledgerly.internal/v1/accounts/jane%40acme.co.uk');
    assert.deepEqual(await res.json(), { plan: 'pro' });
    assert.equal(await (await hooks.fetch('https://api.ledgerly.internal/v1/accounts/search')).text(), 'search');
    await assert.rejects(hooks.fetch('https://api.ledgerly.internal/v1/accounts/a/b'), /no stub for GET api\.ledgerly\.internal/);
    assert.deepEqual(hooks.unstubbed, [{ tool: undefined, method: 'GET', host: 'api.ledgerly.internal' }]);
  });

  it('give a URL that starts with an unset secret, and an unset signing secret, placeholders', () => {
    const hooks = stubWebhooks(agent, {}, {});
    assert.equal(hooks.env.TICKET_API, 'https://open_ticket.stub.invalid');
    assert.ok(hooks.env.TICKET_SIGNING_SECRET);
  });

  it('run a templated, signed look-up end to end: stubbed, recorded with its timestamp', async () => {
    const { scenario, problems } = parseScenario(
      stringify({
        caller: { turns: [{ say: 'Open a ticket for jane@acme.co.uk: printer on fire.' }] },
        model: { script: [{ toolCalls: [{ name: 'open_ticket', args: { email: 'jane@acme.co.uk', summary: 'printer on fire' } }] }, { text: 'Ticket opened.' }] },
        stubs: { now: '2026-11-30 10:00', tools: { open_ticket: { status: 201, body: { id: 'T-1' } } } },
        expect: {
          toolCalled: [
            {
              name: 'open_ticket',
              result: { id: 'T-1' },
              request: { url: '${TICKET_API}/v1/tickets/jane%40acme.co.uk', headers: { 'webhook-timestamp': '/^[0-9]+$/', 'webhook-signature': 'v1,(signed with ${TICKET_SIGNING_SECRET})' } },
            },
          ],
        },
      }),
      'tests/ticket.yaml',
      agent,
    );
    assert.deepEqual(problems, []);
    const r = await runScenario(scenario!, { agent, models: noModels, env: {} });
    assert.deepEqual(r.failures, []);
    const headers = (r.toolCalls[0].request as { headers: Record<string, string> }).headers;
    assert.equal(headers['webhook-timestamp'], String(Date.parse('2026-11-30T10:00:00+01:00') / 1000));
  });

  it('name no calendar when a request matches no tool and the agent has no remote calendar', async () => {
    const { scenario } = parseScenario(
      stringify({
        caller: { turns: [{ say: 'Look up jane@acme.co.uk' }] },
        model: { script: [{ toolCalls: [{ name: 'lookup_account', args: { email: 'jane@acme.co.uk' } }] }, { text: 'Found it.' }] },
      }),
      'tests/lookup.yaml',
      agent,
    );
    const r = await runScenario(scenario!, { agent, models: noModels, env: {} });
    assert.equal(r.status, 'failed');
    assert.match(r.failures.map((f) => `${f.field}: ${f.message}`).join('\n'), /^stubs\.tools: lookup_account tried to reach the network/m);
    assert.doesNotMatch(r.failures.map((f) => f.field).join(' '), /stubs\.calendar/);
  });
});
