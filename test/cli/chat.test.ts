import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadAgent } from '../../src/agent/load.ts';
import { startFakeOpenAI, type ChatRequest, type FakeOpenAI } from '../../src/testing/index.ts';
import { runParley, tempDir } from '../helpers/cli.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';

const lastUser = (r: ChatRequest): string => {
  const m = r.messages.filter((x) => x.role === 'user').at(-1);
  return typeof m?.content === 'string' ? m.content : JSON.stringify(m?.content);
};
const toolResults = (r: ChatRequest) => r.messages.filter((m) => m.role === 'tool').map((m) => JSON.parse(String(m.content)));

describe('parley chat with piped input (scripted conversation against the fake model)', () => {
  let llm: FakeOpenAI;
  let crm: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let env: NodeJS.ProcessEnv;
  let db: string;
  const SECRET = 'crm-secret-7f3a9';

  before(async () => {
    llm = await startFakeOpenAI();
    crm = await startWebhookReceiver(() => ({ status: 201, body: { id: 'lead_981', owner: 'Marta' } }));
    db = join(tempDir(), 'parley.db');
    env = {
      PARLEY_LLM: 'openai-compatible:fake-model',
      PARLEY_LLM_BASE_URL: llm.url,
      PARLEY_DATABASE_URL: `file:${db}`,
      CRM_WEBHOOK_URL: `${crm.url}/hooks/leads`,
      CRM_TOKEN: SECRET,
    };
  });
  after(async () => {
    await llm.close();
    await crm.close();
  });

  it('greets first, grounds answers in documents, calls the webhook with its secret, saves the lead and records it all', async () => {
    const agent = await loadAgent('examples/sales-booking');
    llm.push(
      (r) => {
        // The audit chunk from knowledge/pricing.md reaches the model with the caller's words.
        assert.match(lastUser(r), /What does the automation audit cost\?/);
        assert.match(lastUser(r), /2,400 EUR for the two-week audit/);
        assert.match(String(r.messages[0].content), /You are Ada/);
        assert.match(String(r.messages[0].content), /Europe\/Warsaw/);
        return { text: 'The audit is a fixed 2,400 euros, and half of it is credited if you go on to a build.' };
      },
      { toolCalls: [{ name: 'save_lead', args: { name: 'Jane Doe', email: 'jane@acme.io', company: 'Acme', problem: 'invoice chasing takes two days a month' } }] },
      (r) => {
        assert.deepEqual(toolResults(r).at(-1).saved, { name: 'Jane Doe', email: 'jane@acme.io', company: 'Acme', problem: 'invoice chasing takes two days a month' });
        return { toolCalls: [{ name: 'notify_sales_team', args: { name: 'Jane Doe', email: 'jane@acme.io', company: 'Acme', problem: 'invoice chasing takes two days a month' } }] };
      },
      (r) => {
        assert.deepEqual(toolResults(r).at(-1), { id: 'lead_981', owner: 'Marta' });
        return { text: 'Thanks Jane, I have passed this to Marta on our team.' };
      },
      { toolCalls: [{ name: 'end_call', args: { reason: 'caller said goodbye' } }] },
      { text: 'Goodbye, Jane!' },
    );

    const r = await runParley(['chat', 'examples/sales-booking'], {
      env,
      input: ['What does the automation audit cost?', "I'm Jane Doe from Acme, jane@acme.io, invoice chasing takes two days a month.", 'That is all, bye.', 'this line comes after the agent hung up'].join('\n'),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      agent.config.persona.firstMessage,
      'The audit is a fixed 2,400 euros, and half of it is credited if you go on to a build.',
      'Thanks Jane, I have passed this to Marta on our team.',
      'Goodbye, Jane!',
    ]);
    assert.equal(llm.pending(), 0);

    // The webhook got the real secret; nothing else did.
    assert.equal(crm.received.length, 1);
    assert.equal(crm.received[0].headers.authorization, `Bearer ${SECRET}`);
    assert.equal(crm.received[0].url, '/hooks/leads');
    assert.deepEqual(JSON.parse(crm.received[0].body), { name: 'Jane Doe', email: 'jane@acme.io', company: 'Acme', problem: 'invoice chasing takes two days a month' });

    const id = /conversation ([0-9a-f-]{36})/.exec(r.stderr)?.[1];
    assert.ok(id, r.stderr);
    const shown = await runParley(['conversations', 'show', id, '--json'], { env });
    assert.equal(shown.code, 0, shown.stderr);
    const rec = JSON.parse(shown.stdout);
    assert.equal(rec.agent, 'sales-booking');
    assert.equal(rec.channel, 'text');
    assert.equal(rec.endReason, 'agent ended');
    assert.deepEqual(rec.toolCalls.find((t: { name: string }) => t.name === 'end_call')?.input, { reason: 'caller said goodbye' });
    assert.deepEqual(rec.turns.map((t: { role: string }) => t.role), ['agent', 'caller', 'agent', 'caller', 'agent', 'caller', 'agent']);
    assert.equal(rec.turns[0].text, agent.config.persona.firstMessage);
    assert.ok(rec.turns[1].knowledge.some((k: { source: string }) => k.source === 'knowledge/pricing.md'), 'knowledge hits recorded on the caller turn');
    assert.deepEqual(rec.lead, { name: 'Jane Doe', email: 'jane@acme.io', company: 'Acme', problem: 'invoice chasing takes two days a month' });

    assert.deepEqual(rec.toolCalls.map((c: { name: string }) => c.name), ['save_lead', 'notify_sales_team', 'end_call']);
    const hook = rec.toolCalls[1];
    assert.equal(hook.turnSeq, 4);
    assert.equal(hook.request.method, 'POST');
    assert.equal(hook.request.url, '${CRM_WEBHOOK_URL}', 'a webhook URL can hold a token: the record names the variable');
    assert.equal(hook.request.headers.Authorization, 'Bearer ${CRM_TOKEN}', 'the record keeps the reference, not the secret');
    assert.deepEqual(hook.request.body, { name: 'Jane Doe', email: 'jane@acme.io', company: 'Acme', problem: 'invoice chasing takes two days a month' });
    assert.equal(hook.response.status, 201);
    assert.deepEqual(hook.response.body, { id: 'lead_981', owner: 'Marta' });
    assert.equal(hook.error, null);

    assert.ok(!readFileSync(db).includes(SECRET), 'the secret never reaches the database file');
    const list = await runParley(['conversations', 'list', '--json'], { env });
    assert.ok(JSON.parse(list.stdout).some((c: { id: string; lead: boolean }) => c.id === id && c.lead));
  });

  it('strict knowledge: a question the documents do not answer is declined without asking the model', async () => {
    const agent = await loadAgent('examples/sales-booking');
    const before = llm.requests.length;
    const r = await runParley(['chat', 'examples/sales-booking'], { env, input: 'Which football club does your founder support?\n' });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[1], agent.config.knowledge.unknownAnswer);
    assert.equal(llm.requests.length, before, 'the model was never asked, so it could not invent an answer');
    const id = /conversation ([0-9a-f-]{36})/.exec(r.stderr)?.[1] as string;
    const rec = JSON.parse((await runParley(['conversations', 'show', id, '--json'], { env })).stdout);
    assert.equal(rec.turns[2].grounding, 'declined');
  });

  it('limits.maxTurnChars: a line longer than the limit is not sent to the model; stderr says why and stdout keeps one line per caller line', async () => {
    const agent = await loadAgent('examples/sales-booking');
    llm.push({ text: 'The audit is 2,400 euros.' });
    const before = llm.requests.length;
    const long = `What does the audit cost? ${'please '.repeat(400)}`;
    const r = await runParley(['chat', 'examples/sales-booking'], { env, input: `${long}\nWhat does the automation audit cost?\n` });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n').slice(0, 3), [agent.config.persona.firstMessage, '', 'The audit is 2,400 euros.']);
    assert.match(r.stderr, new RegExp(`not sent: a message may be at most ${agent.config.limits.maxTurnChars} characters \\(this one has ${long.trim().length}\\)`));
    assert.equal(llm.requests.length - before, 1, 'only the line that fits reached the model');
    assert.ok(!lastUser(llm.requests.at(-1)!).includes('please please'));
  });

  it('says exactly which variable to set when no model is configured and the local fallback is off', async () => {
    const r = await runParley(['chat', 'examples/sales-booking'], { env: { PARLEY_DATABASE_URL: env.PARLEY_DATABASE_URL, PARLEY_LOCAL_FALLBACK: 'off' }, input: 'hi\n' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no API key for openai:gpt-4\.1-mini: set OPENAI_API_KEY/);
    assert.match(r.stderr, /PARLEY_LLM/);
  });
});

describe('parley chat with a budget whose exchange rate is not set', () => {
  it('says which variable is missing, without a stack trace', async () => {
    const dir = tempDir();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'agent.yaml'), 'name: zloty\npersona: { prompt: Hi, firstMessage: Dzień dobry }\nknowledge: { sources: [] }\nlimits: { dailyBudget: { amount: 40, currency: PLN, usdPerUnit: "${PLN_USD_RATE}" } }\n');
    const r = await runParley(['chat', dir], { env: { PARLEY_DATABASE_URL: `file:${join(dir, 'p.db')}` }, input: 'hi\n' });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /PLN_USD_RATE/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });
});
