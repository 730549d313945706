// docs/tools.md gives each built-in tool a table of the arguments the model sends. A builder who
// reads only the docs scripts calls from those tables (`transfer` with `args: {}` failed with an
// AI_InvalidToolInputError because the page was not trusted), so this reads each table and checks
// it against the input schema the registry gives the model: an argument the code takes and the
// page lacks fails, and so does one the page lists and the code does not take.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { loadAgent } from '../../src/agent/load.ts';
import { toolViews, type ToolView } from '../../src/cli/tools.ts';
import { toolsForListing } from '../../src/tools/registry.ts';
import { ROOT, tempDir } from '../helpers/cli.ts';

const DOC = readFileSync(join(ROOT, 'docs/tools.md'), 'utf8');
const BUILT_INS = ['search_knowledge', 'end_call', 'save_lead', 'check_availability', 'book_call', 'transfer', 'press_keys'];
const COLLECT = ['name', 'email', 'phone', 'company', 'problem', 'nip'];

/** An agent with every built-in tool: collect fields, a calendar, a phone line, two transfer destinations, the keypad. */
const AGENT_YAML = `persona:
  prompt: You help.
  firstMessage: Hi.
brain: { llm: local:default }
collect: [name, email, phone, company, problem, { field: nip, description: Tax id }]
calendar: { provider: builtin, ownerEmail: owner@example.com }
channels: { phone: { number: "+14155550123" } }
tools:
  - end_call
  - save_lead
  - press_keys
  - type: transfer
    destinations:
      - { label: sales, number: "+14155550124" }
      - { label: billing, number: "+14155550125" }
`;

/** The argument rows of a tool's section: `{ named }` for rows naming arguments, `dynamic` when a row stands for the collect fields. */
function documented(tool: string): { named: string[]; dynamic: boolean } {
  const at = DOC.search(new RegExp(`^### \`${tool}\``, 'm'));
  assert.ok(at >= 0, `docs/tools.md has no section "### \`${tool}\`"`);
  const section = DOC.slice(at).split('\n').slice(1);
  const end = section.findIndex((l) => /^#{2,3} /.test(l));
  const rows = section.slice(0, end < 0 ? undefined : end).filter((l) => l.startsWith('| ') && !l.startsWith('| argument'));
  const firstCells = rows.map((r) => r.split('|')[1]!.trim());
  const dynamic = firstCells.some((c) => c.startsWith('one per'));
  const named = firstCells.filter((c) => !c.startsWith('one per')).map((c) => /^`([A-Za-z_][A-Za-z0-9_]*)`/.exec(c)?.[1] ?? c);
  return { named, dynamic };
}

describe('docs/tools.md: every built-in tool\'s arguments, as the code takes them', () => {
  let views: ToolView[];
  before(async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'knowledge'));
    writeFileSync(join(dir, 'agent.yaml'), AGENT_YAML);
    const agent = await loadAgent(dir);
    views = await toolViews(toolsForListing(agent, { withCalendar: true }));
  });

  it('the test agent gets every built-in tool', () => {
    assert.deepEqual(views.map((v) => v.name).filter((n) => BUILT_INS.includes(n)).sort(), [...BUILT_INS].sort());
  });

  for (const tool of BUILT_INS) {
    it(`${tool}: the page lists exactly the arguments the code takes, collect fields as one row`, () => {
      const view = views.find((v) => v.name === tool)!;
      const props = Object.keys((view.parameters as { properties?: Record<string, unknown> }).properties ?? {});
      const { named, dynamic } = documented(tool);
      const fixed = props.filter((p) => !(dynamic && COLLECT.includes(p)));
      assert.deepEqual(fixed.filter((p) => !named.includes(p)), [], `docs/tools.md: ${tool} does not document these arguments`);
      assert.deepEqual(named.filter((p) => !props.includes(p)), [], `docs/tools.md: ${tool} documents arguments the code does not take`);
      if (dynamic) assert.ok(props.some((p) => COLLECT.includes(p)), `${tool}: a "one per collect field" row, but no collect field is an argument`);
    });

    it(`${tool}: "(required)" on the page is what the schema requires`, () => {
      const view = views.find((v) => v.name === tool)!;
      const required = new Set((view.parameters as { required?: string[] }).required ?? []);
      for (const arg of documented(tool).named) {
        const row = DOC.slice(DOC.search(new RegExp(`^### \`${tool}\``, 'm'))).split('\n').find((l) => l.startsWith(`| \`${arg}\``))!;
        // "(required when …)": required in some agents (transfer's `to` with two or more destinations, as here).
        if (/^\| `[^`]+` \(required when /.test(row)) assert.ok(required.has(arg), `${tool}.${arg}: the test agent should be one that requires it`);
        else assert.equal(/^\| `[^`]+` \(required\)/.test(row), required.has(arg), `docs/tools.md: ${tool}.${arg} is ${required.has(arg) ? '' : 'not '}required in the code: ${row}`);
      }
    });
  }
});
