import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { McpTool } from '../../src/agent/schema.ts';
import { knowledgeSpec } from '../../src/cli/runtime.ts';
import { ModelConfigError, resolveModel } from '../../src/llm/model.ts';
import { indexKnowledge, type KnowledgeTemplate } from '../../src/scenarios/knowledge.ts';
import { parseScenario, type Scenario } from '../../src/scenarios/load.ts';
import { scenarioModels, type ScenarioModels } from '../../src/scenarios/models.ts';
import { runScenario } from '../../src/scenarios/run.ts';
import { startFakeOpenAI } from '../../src/testing/openai.ts';
import { EXAMPLE } from '../helpers/cli.ts';

// The runner drives the real Conversation; these tests script the model and check what a
// scenario run reports: per-turn failures pinned to the file, stubs, the booking path, rubrics.

const noModels: ScenarioModels = scenarioModels(async () => {
  throw new ModelConfigError('no API key for openai:gpt-4.1-mini: set OPENAI_API_KEY');
}, {});

describe('runScenario', () => {
  let agent: Agent;
  let knowledge: KnowledgeTemplate;
  before(async () => {
    agent = await loadAgent(EXAMPLE);
    knowledge = await indexKnowledge(agent, knowledgeSpec(agent).sources);
  });
  after(() => knowledge.store.close());

  const scenario = (data: object | string, file = 'tests/t.yaml'): Scenario => {
    const { scenario, problems } = parseScenario(typeof data === 'string' ? data : stringify(data), file, agent);
    assert.deepEqual(problems, []);
    return scenario!;
  };
  const run = (s: Scenario, models = noModels) => runScenario(s, { agent, knowledge, models, env: {} });

  it('reports a failing turn with the expectation, its place in the file and what the agent said', async () => {
    const s = scenario(
      [
        'name: price',
        'caller:',
        '  turns:',
        '    - say: Do you work with companies outside Poland?',
        '    - say: What does the automation audit cost?',
        '      expect:',
        '        says: /2,400/',
        '        neverSays: /discount/i',
        'model:',
        '  script:',
        '    - text: Yes, across the EU, the UK and North America.',
        '    - text: It is 2,000 euros, with a discount for you.',
      ].join('\n'),
    );
    const r = await run(s);
    assert.equal(r.status, 'failed');
    assert.deepEqual(
      r.failures.map((f) => [f.turn, f.field, f.line, f.message]),
      [
        [2, 'caller.turns.1.expect.says', 7, 'the reply does not say /2,400/'],
        [2, 'caller.turns.1.expect.neverSays', 8, 'the reply says /discount/i ("discount")'],
      ],
    );
    assert.deepEqual(r.transcript.map((t) => [t.turn, t.role]), [[0, 'agent'], [1, 'caller'], [1, 'agent'], [2, 'caller'], [2, 'agent']]);
    assert.ok(r.transcript[3].documents.some((d) => d.startsWith('knowledge/pricing.md')), 'documents retrieved for the caller turn are kept');
  });

  it('stubs MCP tools by <server>_<tool>: the stub answers, a call with no stub is a finding, no server is reached', async () => {
    const mcpAgent: Agent = { ...agent, config: { ...agent.config, tools: [...agent.config.tools, McpTool.parse({ type: 'mcp', name: 'crm', url: 'https://crm.invalid/mcp', allow: ['lookup_order', 'cancel_order'] })] } };
    const { scenario: s, problems } = parseScenario(
      stringify({
        caller: { turns: [{ say: 'Where is my order A-42?' }, { say: 'Then cancel my order A-42.' }] },
        model: { script: [{ toolCalls: [{ name: 'crm_lookup_order', args: { order: 'A-42' } }] }, { text: 'It has shipped.' }, { toolCalls: [{ name: 'crm_cancel_order', args: { order: 'A-42' } }] }, { text: 'Sorry, I could not cancel it.' }] },
        stubs: { tools: { crm_lookup_order: { body: { status: 'shipped' } } } },
        expect: { toolCalled: [{ name: 'crm_lookup_order', args: { order: 'A-42' } }] },
      }),
      'tests/mcp.yaml',
      mcpAgent,
    );
    assert.deepEqual(problems, []);
    const r = await runScenario(s!, { agent: mcpAgent, knowledge, models: noModels, env: {} });
    const lookup = r.toolCalls.find((c) => c.name === 'crm_lookup_order')!;
    assert.deepEqual(lookup.result, { status: 'shipped' });
    assert.deepEqual(lookup.request, { server: 'crm', url: 'https://crm.invalid/mcp', method: 'tools/call', params: { name: 'lookup_order', arguments: { order: 'A-42' } } });
    assert.deepEqual(r.failures.map((f) => f.message), ['crm_cancel_order tried to reach the network; scenarios never do: add stubs.tools.crm_cancel_order with the answer it should get']);
  });

  it('refuses a stub for an MCP tool the file does not allow', () => {
    const mcpAgent: Agent = { ...agent, config: { ...agent.config, tools: [...agent.config.tools, McpTool.parse({ type: 'mcp', name: 'crm', url: 'https://crm.invalid/mcp', allow: ['lookup_order'] })] } };
    const { problems } = parseScenario(stringify({ caller: { turns: [{ say: 'hi' }] }, stubs: { tools: { crm_delete_everything: { body: 'ok' } } } }), 'tests/mcp.yaml', mcpAgent);
    assert.match(problems[0]?.message ?? '', /no webhook or allowed MCP tool "crm_delete_everything".*crm_lookup_order/);
  });

  it('stubs webhooks: the real request is built and recorded, the stub answers, nothing reaches the network', async () => {
    const lead = { name: 'Jo Bloggs', email: 'jo@bloggs.dev', problem: 'slow onboarding' };
    const s = scenario({
      caller: { turns: [{ say: 'Please pass my details on: Jo Bloggs, jo@bloggs.dev, slow onboarding.' }] },
      model: { script: [{ toolCalls: [{ name: 'notify_sales_team', args: lead }] }, { text: 'Done, Marta will email you.' }] },
      stubs: { tools: { notify_sales_team: [{ status: 503 }, { status: 201, body: { id: 'lead_7', owner: 'Marta' } }] } },
      expect: { toolCalled: [{ name: 'notify_sales_team', args: { email: '/@bloggs\\.dev$/' }, request: { method: 'POST', url: '${CRM_WEBHOOK_URL}', body: { name: 'Jo Bloggs' } } }] },
    });
    const r = await run(s);
    assert.deepEqual(r.failures, []);
    const call = r.toolCalls[0];
    assert.deepEqual(call.response, { status: 201, headers: { 'content-type': 'application/json' }, body: { id: 'lead_7', owner: 'Marta' }, attempts: 2 }, 'the 503 was retried against the next answer');
    assert.equal((call.request as { headers: Record<string, string> }).headers.Authorization, 'Bearer ${CRM_TOKEN}');
  });

  it('fails a scenario whose webhook has no stub, at the turn that called it', async () => {
    const s = scenario({
      caller: { turns: [{ say: 'Send my details to sales: Jo Bloggs, jo@bloggs.dev, slow onboarding.' }] },
      model: { script: [{ toolCalls: [{ name: 'notify_sales_team', args: { name: 'Jo Bloggs', email: 'jo@bloggs.dev', problem: 'x' } }] }, { text: 'Sorry, that did not go through.' }] },
    });
    const r = await run(s);
    assert.equal(r.status, 'failed');
    assert.equal(r.failures[0].turn, 1);
    assert.match(r.failures[0].message, /notify_sales_team tried to reach the network.*add stubs\.tools\.notify_sales_team/);
    assert.match(r.toolCalls[0].error ?? '', /no stub for webhook "notify_sales_team"/);
  });

  it('books through the stub calendar on a fixed clock and checks the booking in the business zone', async () => {
    const s = scenario({
      caller: {
        turns: [
          { say: "Can we book the intro call on Tuesday afternoon? I'm Jane Doe, jane@acme.io." },
          { say: "Yes, that's right." },
          { say: '3 PM please.', expect: { toolCalled: { name: 'book_call', args: { start: '2026-12-01T14:00:00Z' } } } },
        ],
      },
      model: {
        script: [
          { text: "Let me check I have it right: J-a-n-e D-o-e, and j-a-n-e at a-c-m-e dot i-o. Is that right?" },
          { toolCalls: [{ name: 'check_availability', args: { when: 'Tuesday afternoon' } }] },
          { text: 'I have Tuesday at 3 PM or 3:30 PM. Which suits you?' },
          { toolCalls: [{ name: 'book_call', args: { start: '2026-12-01T14:00:00Z', name: 'Jane Doe', email: 'jane@acme.io' } }] },
          { text: "You're booked for Tuesday at 3 PM." },
        ],
      },
      stubs: { now: '2026-11-30T10:00:00+01:00', calendar: { slots: ['2026-12-01 15:00', '2026-12-01T14:30:00Z'], slotMinutes: 30 } },
      expect: { booking: { localTime: '2026-12-01 15:00', attendee: { email: 'jane@acme.io' } }, collected: { name: 'Jane Doe' } },
    });
    const r = await run(s);
    assert.deepEqual(r.failures, []);
    const offered = r.toolCalls.find((c) => c.name === 'check_availability')?.result as { slots: { start: string }[] };
    assert.deepEqual(offered.slots.map((x) => x.start), ['2026-12-01T14:00:00Z', '2026-12-01T14:30:00Z'], 'exactly the stubbed slots');
    assert.equal(r.bookings[0].start, '2026-12-01T14:00:00Z');

    const wrong = await run(scenario({ ...s.data, expect: { booking: { localTime: '2026-12-01 15:30' } } }));
    assert.deepEqual(wrong.failures.map((f) => f.message), ['booked for 2026-12-01 15:00, expected 2026-12-01 15:30 (Europe/Warsaw)']);
  });

  it('proves a booking without a spelled-back confirmation is refused, from the tool result', async () => {
    const s = scenario({
      caller: { turns: [{ say: "Just book me Tuesday at 3. I'm Jane Doe, jane@acme.io, no need to spell anything back." }] },
      model: {
        script: [
          { toolCalls: [{ name: 'check_availability', args: { when: 'Tuesday at 3' } }] },
          { toolCalls: [{ name: 'book_call', args: { start: '2026-12-01T14:00:00Z', name: 'Jane Doe', email: 'jane@acme.io' } }] },
          { text: 'Before I book, let me spell your name back: J-a-n-e D-o-e. Is that right?' },
        ],
      },
      stubs: { now: '2026-11-30 10:00', calendar: { slots: ['2026-12-01 15:00'] } },
      expect: { toolCalled: [{ name: 'book_call', result: { booked: false, error: '/spell the name back/' } }], booking: false },
    });
    const r = await run(s);
    assert.deepEqual(r.failures, []);
    assert.deepEqual(r.bookings, []);
  });

  it('reads `result: { slots: [] }` as "nothing was free": it passes on an empty calendar and fails when a slot was offered', async () => {
    const asking = (slots: string[]) =>
      scenario({
        caller: { turns: [{ say: 'Is anything free on Tuesday afternoon?', expect: { toolCalled: { name: 'check_availability', result: { slots: [] } } } }] },
        model: { script: [{ toolCalls: [{ name: 'check_availability', args: { when: 'Tuesday afternoon' } }] }, { text: 'Tuesday is full, sorry.' }] },
        stubs: { now: '2026-11-30 10:00', calendar: { slots } },
      });
    const empty = await run(asking([]));
    assert.deepEqual(empty.failures, []);
    const offered = await run(asking(['2026-12-01 15:00']));
    assert.equal(offered.status, 'failed');
    assert.deepEqual(offered.failures.map((f) => f.field), ['caller.turns.0.expect.toolCalled.0']);
    assert.match(offered.failures[0].message, /slots: expected an empty list, got \[\{"start":"2026-12-01T14:00:00Z"/);
  });

  it('fails when the model is asked more often than scripted, at the turn where the script ran out', async () => {
    const r = await run(scenario({ caller: { turns: [{ say: 'Hi there!' }, { say: 'Do you integrate with HubSpot?' }] }, model: { script: [{ text: 'Hello!' }] } }));
    assert.equal(r.status, 'failed');
    const f = r.failures.find((x) => x.field === 'model.script');
    assert.equal(f?.turn, 2);
    assert.match(f?.message ?? '', /asked more often than model\.script has steps \(1\)/);
  });

  it('skips, and says why, a scenario that needs a model nobody configured', async () => {
    const r = await run(scenario({ caller: { turns: [{ say: 'Hi' }] } }));
    assert.equal(r.status, 'skipped');
    assert.match(r.skipReason ?? '', /no language model for the agent .*OPENAI_API_KEY.*model\.script/);
  });

  it('judges rubrics with PARLEY_JUDGE_LLM, and notes a rubric nobody could judge', async () => {
    const judge = await startFakeOpenAI();
    try {
      judge.push((r) => {
        assert.match(JSON.stringify(r.messages), /Agent: The audit is 3,000 euros\..*Never quotes a price/s);
        return { text: JSON.stringify({ pass: false, reason: 'It quoted 3,000 euros; the documents say 2,400.' }) };
      });
      const s = scenario({ caller: { turns: [{ say: 'What does the automation audit cost?' }] }, model: { script: [{ text: 'The audit is 3,000 euros.' }] }, expect: { rubric: 'Never quotes a price that is not in the documents' } });
      const judged = await run(s, scenarioModels(async () => [], { PARLEY_JUDGE_LLM: 'openai-compatible:judge', PARLEY_JUDGE_LLM_BASE_URL: judge.url }));
      assert.deepEqual(judged.failures.map((f) => [f.field, f.message]), [['expect.rubric', 'judged as broken: It quoted 3,000 euros; the documents say 2,400.']]);
      const unjudged = await run(s);
      assert.equal(unjudged.status, 'passed');
      assert.match(unjudged.notes[0], /rubric not judged .*PARLEY_JUDGE_LLM/);
    } finally {
      await judge.close();
    }
  });

  it('lets a simulated caller talk until its goal is reached', async () => {
    const caller = await startFakeOpenAI();
    try {
      caller.push(
        (r) => {
          assert.match(String(r.messages[0].content), /What you want: find out the audit price/);
          assert.equal(r.messages.at(-1)?.role, 'user', "the agent's words reach the caller model as the other party");
          return { text: 'Hi, what does the automation audit cost?' };
        },
        { text: 'Great, thanks. [END]' },
      );
      const s = scenario({ caller: { simulate: { persona: 'an agency owner', goal: 'find out the audit price', maxTurns: 4 } }, model: { script: [{ text: 'It is a fixed 2,400 euros.' }, { text: "You're welcome!" }] }, expect: { says: '2,400', maxTurns: 2 } });
      const r = await run(s, { ...noModels, caller: async () => resolveModel({ spec: 'openai-compatible:caller', baseURL: caller.url }, {}) });
      assert.deepEqual(r.failures, []);
      assert.equal(r.callerTurns, 2);
      assert.deepEqual(r.transcript.filter((t) => t.role === 'caller').map((t) => t.text), ['Hi, what does the automation audit cost?', 'Great, thanks.']);
    } finally {
      await caller.close();
    }
  });
  it('runs typed scenarios through the text session: a caller line over limits.maxTurnChars fails the run at that turn and never reaches the model', async () => {
    const long = `What does the automation audit cost? ${'x'.repeat(agent.config.limits.maxTurnChars)}`;
    const s = scenario({ name: 'long', caller: { turns: [{ say: long }, { say: 'What does the automation audit cost?' }] }, model: { script: [{ text: 'It is 2,400 euros.' }] } });
    const r = await run(s);
    assert.equal(r.status, 'failed');
    assert.deepEqual(
      r.failures.map((f) => [f.turn, f.field, f.message]),
      [[1, 'caller.turns.0', `the caller's line was not taken (too long): a message may be at most ${agent.config.limits.maxTurnChars} characters (this one has ${long.length}); it was not sent`]],
    );
    assert.deepEqual(r.transcript.filter((t) => t.role === 'caller').map((t) => t.text), ['What does the automation audit cost?']);
  });
});
