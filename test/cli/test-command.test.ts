import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { startFakeOpenAI, type FakeOpenAI, type FakeStep } from '../../src/testing/openai.ts';
import { EXAMPLE, runParley, tempDir } from '../helpers/cli.ts';
import { startWebhookReceiver } from '../helpers/webhook-receiver.ts';

/** A copy of the example agent in a temporary folder (tests write into it or break it). */
function copyOfExample(): string {
  const dir = join(tempDir(), 'sales-booking');
  cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

/** Checks that XML is well formed enough for a CI parser: balanced tags, escaped text, one root. */
function assertWellFormedXml(xml: string): void {
  assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/);
  const body = xml.replace(/^<\?xml[^>]*\?>/, '');
  const stack: string[] = [];
  let roots = 0;
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w-]*)((?:\s+[\w-]+="[^"<]*")*)\s*(\/?)>|<|>/g)) {
    assert.ok(m[2], `stray "${m[0]}" in XML text at ${m.index}`);
    if (m[1]) assert.equal(stack.pop(), m[2], `closing </${m[2]}> does not match`);
    else if (!m[4]) {
      if (!stack.length) roots++;
      stack.push(m[2]);
    } else if (!stack.length) roots++;
  }
  assert.deepEqual(stack, [], 'every element is closed');
  assert.equal(roots, 1, 'one root element');
}

describe('parley test', () => {
  it('passes the example agent with no API keys and writes valid JUnit and JSON', async () => {
    const out = tempDir();
    const r = await runParley(['test', 'examples/sales-booking', '--junit', join(out, 'junit.xml'), '--json', join(out, 'results.json')], { env: { PARLEY_DATABASE_URL: `file:${join(out, 'unused.db')}` } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /✓ answers the audit price from the documents/);
    assert.match(r.stdout, /✓ declines a question the documents do not answer/);
    assert.match(r.stdout, /✓ collects the lead and sends it to the CRM/);
    assert.match(r.stdout, /3 scenarios: 3 passed, 0 failed/);

    const xml = readFileSync(join(out, 'junit.xml'), 'utf8');
    assertWellFormedXml(xml);
    assert.match(xml, /<testsuite name="sales-booking" tests="3" failures="0" errors="0" skipped="0"/);
    assert.equal(xml.match(/<testcase /g)?.length, 3);

    const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    assert.equal(json.agent, 'sales-booking');
    assert.deepEqual(json.totals, { scenarios: 3, passed: 3, failed: 0, skipped: 0, runs: 3, passRate: 1 });
    const lead = json.scenarios.find((s: { name: string }) => s.name === 'collects the lead and sends it to the CRM');
    const hook = lead.runs[0].toolCalls.find((c: { name: string }) => c.name === 'notify_sales_team');
    assert.equal(hook.request.url, '${CRM_WEBHOOK_URL}', 'the real request was built, secrets named not shown');
    assert.deepEqual(hook.response.body, { id: 'lead_981', owner: 'Marta' });
    assert.deepEqual(lead.runs[0].lead, { name: 'Jane Doe', email: 'jane@acme.io', company: 'Acme', problem: 'invoice chasing takes two days a month' });
  });

  it('fails the scenarios a broken agent breaks, pointing at the turn and the expectation', async () => {
    const dir = copyOfExample();
    rmSync(join(dir, 'knowledge'), { recursive: true });
    const out = tempDir();
    const r = await runParley(['test', dir, '--junit', join(out, 'junit.xml')]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /✗ answers the audit price from the documents/);
    assert.match(r.stdout, /✓ declines a question the documents do not answer/, 'still declines: it knows even less now');
    assert.match(r.stdout, /✓ collects the lead and sends it to the CRM/, 'collecting a lead needs no documents');
    const file = join(dir, 'tests/audit-price.yaml');
    const lines = r.stdout.split('\n').map((l) => l.trim());
    assert.ok(lines.includes(`${file}:12:15 caller.turns.0.expect.says: the reply does not say /2,400/`), r.stdout);
    assert.ok(lines.includes(`${file}:11:19 caller.turns.0.expect.declined: the agent declined: the documents did not cover the question (parley knowledge search shows why), so it said knowledge.unknownAnswer`), r.stdout);
    assert.ok(lines.some((l) => l.startsWith(`${file}:17:7 model.script.0: 1 of 1 model.script steps were never used`)), r.stdout);
    // The transcript around the failing turn, the turn itself marked.
    const at = lines.indexOf('at turn 1:');
    assert.ok(at > 0, r.stdout);
    assert.equal(lines[at + 2], '▶ caller › What does the automation audit cost?');
    assert.match(lines[at + 3], /^▶ agent {2}› I don't have that in our materials/);
    assert.match(r.stdout, /3 scenarios: 2 passed, 1 failed/);

    const xml = readFileSync(join(out, 'junit.xml'), 'utf8');
    assertWellFormedXml(xml);
    assert.match(xml, /failures="1"/);
    assert.match(xml, /<failure message="caller\.turns\.0\.expect\.documents: no document retrieved for this turn matches &quot;pricing\.md › Pricing › Automation audit&quot; \(retrieved: none\)"/);
  });

  it('reports malformed scenario files as file:line:column field: message and runs nothing', async () => {
    const dir = copyOfExample();
    writeFileSync(join(dir, 'tests/bad.yaml'), ['caller:', '  turns:', '    - say: hello', '      expect:', '        sayz: hi', '        says: "/[unclosed/"', 'model:', '  script:', '    - { txt: hi }', ''].join('\n'));
    writeFileSync(join(dir, 'tests/wrong-tool.yaml'), ['caller:', '  turns:', '    - say: hello', 'stubs:', '  tools:', '    save_lead: { status: 200 }', 'expect:', '  toolCalled: [notify_sales]', ''].join('\n'));
    writeFileSync(join(dir, 'tests/syntax.yaml'), 'caller:\n  turns:\n    - say: "unterminated\n');
    const r = await runParley(['test', dir]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '', 'nothing runs');
    const t = join(dir, 'tests');
    assert.deepEqual(r.stderr.trim().split('\n'), [
      `${t}/bad.yaml:5:9 caller.turns.0.expect.sayz: unknown field "sayz"`,
      `${t}/bad.yaml:6:15 caller.turns.0.expect.says: invalid regular expression /[unclosed/: Unterminated character class`,
      `${t}/bad.yaml:9:7 model.script.0: a step needs text, toolCalls or error`,
      `${t}/bad.yaml:9:9 model.script.0.txt: unknown field "txt"`,
      `${t}/syntax.yaml:4:1 YAML: Missing closing "quote`,
      `${t}/wrong-tool.yaml:6:5 stubs.tools.save_lead: only webhook and MCP tools are stubbed here; agent.yaml declares no webhook or allowed MCP tool "save_lead" (stubbable: notify_sales_team)`,
      `${t}/wrong-tool.yaml:8:16 expect.toolCalled.0: the agent has no tool "notify_sales" (its tools: search_knowledge, end_call, save_lead, check_availability, book_call, notify_sales_team)`,
      'parley test: 7 problems found in scenario files',
    ]);
  });

  it('names the scenario files outside tests/ it did not run, and why; other YAML is left alone', async () => {
    const dir = copyOfExample();
    const scenario = readFileSync(join(dir, 'tests/audit-price.yaml'), 'utf8');
    writeFileSync(join(dir, 'smoke.test.yaml'), 'caller: { turns: [{ say: hi }] }\n'); // named like one
    mkdirSync(join(dir, 'scenarios'));
    writeFileSync(join(dir, 'scenarios/price.yaml'), scenario.replace(/^name: .*$/m, 'name: the price again')); // has caller:
    writeFileSync(join(dir, 'notes.yaml'), 'owner: Marta\n');
    writeFileSync(join(dir, 'knowledge/meta.yml'), 'caller_id: no\n');
    writeFileSync(join(dir, 'broken.yaml'), 'caller: [unclosed\n');
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git/x.test.yaml'), 'caller: {}\n');
    const r = await runParley(['test', dir]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /3 scenarios: 3 passed, 0 failed/, 'the scenarios in tests/ run as before');
    const notRun = r.stderr.split('\n').filter((l) => l.startsWith('parley test: not run:'));
    const why = `outside ${join(dir, 'tests')}, the only folder parley test reads: move it there to run it`;
    assert.deepEqual(notRun, [`parley test: not run: ${join(dir, 'scenarios/price.yaml')} — ${why}`, `parley test: not run: ${join(dir, 'smoke.test.yaml')} — ${why}`]);

    rmSync(join(dir, 'tests'), { recursive: true });
    const none = await runParley(['test', dir]);
    assert.equal(none.code, 1);
    assert.equal(none.stdout, '', 'nothing runs');
    assert.equal(none.stderr.split('\n').filter((l) => l.startsWith('parley test: not run:')).length, 2);
    assert.match(none.stderr, /no scenarios in .*tests: add one .* \(or move the 2 scenarios listed above into it\)\n$/);
  });

  it('--repeat runs each scenario N times and reports the pass rate', async () => {
    const dir = copyOfExample();
    rmSync(join(dir, 'knowledge'), { recursive: true });
    const out = tempDir();
    const r = await runParley(['test', dir, '--repeat', '3', '--filter', '/audit|football|declines/', '--json', join(out, 'r.json')]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /2 scenarios × 3 runs/);
    assert.match(r.stdout, /✗ answers the audit price from the documents {2}0\/3 runs passed \(0%\)/);
    assert.match(r.stdout, /✓ declines a question the documents do not answer {2}3\/3 runs passed \(100%\)/);
    assert.match(r.stdout, /run 1 of 3:/);
    assert.match(r.stdout, /2 scenarios: 1 passed, 1 failed · 6 runs, pass rate 50%/);
    const json = JSON.parse(readFileSync(join(out, 'r.json'), 'utf8'));
    assert.deepEqual(json.scenarios.map((s: { runs: unknown[]; passRate: number }) => [s.runs.length, s.passRate]), [[3, 0], [3, 1]]);
  });

  it('reads a page from its stand-in file (offline:) without the network; a plain URL that fails warns and suggests one', async () => {
    const dir = tempDir('parley-status-agent-');
    const files: Record<string, string> = {
      'agent.yaml': [
        'name: status-line',
        'persona: { prompt: You answer questions about service status., firstMessage: Hi }',
        'knowledge:',
        '  strict: false',
        '  sources:',
        '    - { url: "https://status.invalid/", offline: knowledge/status-copy.md }',
        '    - https://other.invalid/',
        '',
      ].join('\n'),
      'knowledge/status-copy.md': '# Service status\n\nCard payments are degraded since 09:40.',
      'tests/status.yaml': ['caller:', '  turns:', '    - say: Are card payments degraded?', '      expect: { documents: "https://status.invalid/ › Service status", says: degraded }', 'model:', '  script:', '    - text: Yes, card payments are degraded since 09:40.', ''].join('\n'),
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const r = await runParley(['test', dir], { env: { PARLEY_DATABASE_URL: `file:${join(dir, 'unused.db')}` } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /1 scenario: 1 passed, 0 failed/);
    assert.doesNotMatch(r.stderr, /status\.invalid/, 'the page with a stand-in is never fetched');
    assert.match(r.stderr, /knowledge: could not read https:\/\/other\.invalid\/: .*give it a stand-in file tests read instead: sources: \[\{ url: https:\/\/other\.invalid\/, offline: knowledge\/<copy>\.md \}\]/);
  });
});

describe('parley test --from and parley replay (a conversation recorded by parley chat)', () => {
  let llm: FakeOpenAI;
  let crm: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let id: string;
  const input = ['What does the automation audit cost?', "I'm Jane Doe from Acme, jane@acme.io, invoice chasing takes two days a month.", 'That is all, bye.'].join('\n');
  const lead = { name: 'Jane Doe', email: 'jane@acme.io', company: 'Acme', problem: 'invoice chasing takes two days a month' };
  const steps = (price = '2,400'): FakeStep[] => [
    { text: `The audit is a fixed ${price} euros, and half of it is credited if you go on to a build.` },
    { toolCalls: [{ name: 'save_lead', args: lead }] },
    { toolCalls: [{ name: 'notify_sales_team', args: lead }] },
    { text: 'Thanks Jane, I have passed this to Marta on our team.' },
    { toolCalls: [{ name: 'end_call', args: { reason: 'caller said goodbye' } }] },
    { text: 'Goodbye, Jane!' },
  ];

  before(async () => {
    llm = await startFakeOpenAI();
    crm = await startWebhookReceiver(() => ({ status: 201, body: { id: 'lead_981', owner: 'Marta' } }));
    dir = copyOfExample();
    rmSync(join(dir, 'tests'), { recursive: true });
    env = {
      PARLEY_LLM: 'openai-compatible:fake-model',
      PARLEY_LLM_BASE_URL: llm.url,
      PARLEY_DATABASE_URL: `file:${join(tempDir(), 'parley.db')}`,
      CRM_WEBHOOK_URL: `${crm.url}/hooks/leads`,
      CRM_TOKEN: 'crm-secret-7f3a9',
    };
    llm.push(...steps());
    const r = await runParley(['chat', dir], { env, input });
    assert.equal(r.code, 0, r.stderr);
    id = /conversation ([0-9a-f-]{36})/.exec(r.stderr)?.[1] as string;
    assert.ok(id);
    assert.equal(crm.received.length, 1);
  });
  after(async () => {
    await llm.close();
    await crm.close();
  });

  it('--from writes a scenario that passes against the unchanged agent, with no model and no CRM', async () => {
    const r = await runParley(['test', dir, '--from', id.slice(0, 8)], { env });
    assert.equal(r.code, 0, r.stderr);
    const file = r.stdout.trim();
    assert.equal(file, join(dir, 'tests', `recorded-${id.slice(0, 8)}.yaml`));
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^# Generated from a recorded conversation/);
    const scenario = parse(text);
    assert.deepEqual(scenario.caller.turns.map((t: { say: string }) => t.say), input.split('\n'));
    assert.deepEqual(scenario.caller.turns[1].expect.toolCalled, ['save_lead', 'notify_sales_team']);
    assert.deepEqual(scenario.stubs.tools.notify_sales_team, { status: 201, body: { id: 'lead_981', owner: 'Marta' } });
    assert.deepEqual(scenario.expect.collected, lead);
    assert.equal(scenario.expect.endedByAgent, true);
    assert.equal(scenario.model.script.length, 6);

    // No model, no CRM, no keys: the scenario runs on its own.
    const run = await runParley(['test', dir], { env: { PARLEY_DATABASE_URL: env.PARLEY_DATABASE_URL } });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /1 scenario: 1 passed, 0 failed/);
    assert.equal(crm.received.length, 1, 'the CRM was not called again');

    const again = await runParley(['test', dir, '--from', id], { env });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists/);
  });

  it('replay shows no changes when the agent is unchanged, and records the replay', async () => {
    llm.push(...steps());
    const r = await runParley(['replay', id, '--agent-dir', dir], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /no changes: the agent answered every turn as in the recording/);
    assert.match(r.stdout, /turn 1 {2}caller › What does the automation audit cost\?/);
    assert.equal(llm.pending(), 0);
    assert.equal(crm.received.length, 1, 'webhooks answer from the recording: the CRM is not called again');

    const replayed = /replayed as conversation ([0-9a-f-]{36})/.exec(r.stdout)?.[1] as string;
    const rec = JSON.parse((await runParley(['conversations', 'show', replayed, '--json'], { env })).stdout);
    assert.equal(rec.channel, 'text');
    assert.equal(rec.caller, `replay:${id}`);
    assert.deepEqual(rec.lead, lead);
  });

  it('replay shows the changed words and tool calls when the agent now answers differently', async () => {
    llm.push(
      { text: 'The audit is a fixed 2,500 euros, and half of it is credited if you go on to a build.' },
      { toolCalls: [{ name: 'save_lead', args: { ...lead, email: 'jane.doe@acme.io' } }] },
      { text: 'Thanks Jane, I have passed this to Marta on our team.' },
      { toolCalls: [{ name: 'end_call', args: { reason: 'caller said goodbye' } }] },
      { text: 'Goodbye, Jane!' },
    );
    const r = await runParley(['replay', id, '--agent-dir', dir, '--json'], { env });
    assert.equal(r.code, 0, r.stderr);
    const diff = JSON.parse(r.stdout);
    assert.equal(diff.changed, true);
    assert.deepEqual(diff.turns.map((t: { textChanged: boolean }) => t.textChanged), [false, true, false, false]);
    assert.deepEqual(diff.turns[1].words.filter((w: { op: string }) => w.op !== '='), [
      { op: '-', text: '2,400' },
      { op: '+', text: '2,500' },
    ]);
    assert.deepEqual(diff.turns[2].tools, [
      { change: 'changed', name: 'save_lead', before: lead, after: { ...lead, email: 'jane.doe@acme.io' }, fields: ['email: "jane@acme.io" → "jane.doe@acme.io"'] },
      { change: 'removed', name: 'notify_sales_team', before: lead },
    ]);
    assert.deepEqual(diff.lead.fields, ['email: "jane@acme.io" → "jane.doe@acme.io"']);

    llm.push(...steps('2,500'));
    const text = await runParley(['replay', id, '--agent-dir', dir], { env });
    assert.match(text.stdout, /agent {2}~ The audit is a fixed \[-2,400-\] \{\+2,500\+\} euros/);
    assert.match(text.stdout, /1 of 4 turns changed/);
  });

  it('replay finds the agent folder by name, or says to pass --agent-dir', async () => {
    const r = await runParley(['replay', id], { env, cwd: tempDir() });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot find the folder of agent "sales-booking".*pass --agent-dir/);
  });
});
