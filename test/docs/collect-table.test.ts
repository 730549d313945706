// docs/collect.md tells coding agents where each collect field type ends up for each calendar and
// for webhooks. This reads those tables and checks every path against what the code really sends
// (`parley calendar preview`'s builder, the real adapters), and that a "—" really is nowhere.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { collectSpec } from '../../src/agent/collect.ts';
import type { Agent } from '../../src/agent/load.ts';
import { AgentFile, CollectType } from '../../src/agent/schema.ts';
import { previewBooking, type PreviewTarget } from '../../src/tools/calendar/preview.ts';
import { ROOT } from '../helpers/cli.ts';

const DOC = readFileSync(join(ROOT, 'docs/collect.md'), 'utf8');
const SECTIONS: Record<PreviewTarget, string> = { calcom: '### cal.com', calendly: '### Calendly', builtin: '### Built-in calendar', webhook: '### Webhooks' };
const QUESTION_ROW = 'any field with `question`';

/** The table under a heading: first column → the backticked paths of the second. */
function table(heading: string): Map<string, string[]> {
  const at = DOC.indexOf(heading);
  assert.ok(at >= 0, `docs/collect.md has a section "${heading}"`);
  const lines = DOC.slice(at).split('\n');
  const start = lines.findIndex((l) => l.startsWith('| type |'));
  const rows = new Map<string, string[]>();
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const [, type, where] = line.split('|').map((c) => c.trim());
    rows.set(type, [...where.matchAll(/`([^`]+)`/g)].map((m) => m[1]));
  }
  return rows;
}

/** Every value at a dotted path; `[]` walks each element of an array. */
function at(value: unknown, path: string[]): unknown[] {
  if (!path.length) return [value];
  const [head, ...rest] = path;
  const array = head.endsWith('[]');
  const key = array ? head.slice(0, -2) : head;
  const next = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  if (array) return Array.isArray(next) ? next.flatMap((v) => at(v, rest)) : [];
  return next === undefined ? [] : at(next, rest);
}

const QUESTION = 'What is the visit about?';
const COLLECT = [
  'name',
  'email',
  'phone',
  'company',
  { field: 'note_text', type: 'text' },
  { field: 'visit', type: 'choice', options: ['in person', 'video'] },
  { field: 'start_date', type: 'date' },
  { field: 'kwh', type: 'number' },
  { field: 'monthly_bill', type: 'money' },
  { field: 'reason', type: 'text', question: QUESTION },
];

describe('docs/collect.md: where each collect field type ends up', async () => {
  const config = AgentFile.parse({ persona: { prompt: 'p', firstMessage: 'hi' }, timeZone: 'Europe/London', collect: COLLECT });
  const agent = { name: 'doc-agent', config, collect: config.collect.map((c) => collectSpec(c, config.timeZone)) } as unknown as Agent;
  const values = { name: 'Ada Lovelace', email: 'ada@example.com', phone: '07911 123456', company: 'Engines Ltd', note_text: 'a free note', visit: 'Video', start_date: '2027-03-04', kwh: 'twelve thousand three hundred and forty-seven', monthly_bill: 'about 180 pounds', reason: 'sore knee' };
  const normal: Record<string, string> = { ...values, phone: '+447911123456', visit: 'video', kwh: '12347', monthly_bill: '180 GBP' };
  const fieldOf: Record<string, string> = { name: 'name', email: 'email', phone: 'phone', company: 'company', text: 'note_text', choice: 'visit', date: 'start_date', number: 'kwh', money: 'monthly_bill' };
  const { entries, problems } = await previewBooking(agent, { values, now: new Date('2027-03-01T09:00:00Z') });
  assert.deepEqual(problems, []);

  for (const [target, heading] of Object.entries(SECTIONS) as [PreviewTarget, string][]) {
    it(`${heading.slice(4)}: every type has a row, and every path holds the value`, () => {
      const rows = table(heading);
      assert.deepEqual([...rows.keys()].filter((k) => k !== QUESTION_ROW).sort(), [...CollectType.options].sort(), 'one row per type');
      const receives = entries.find((e) => e.target === target)!.receives as Record<string, unknown>;
      const sent = (target === 'calcom' || target === 'calendly' ? (receives as { body: unknown }).body : receives) as Record<string, unknown>;
      for (const [type, paths] of rows) {
        const field = type === QUESTION_ROW ? 'reason' : fieldOf[type];
        for (const p of paths) {
          const [event, path] = target === 'webhook' ? (p.split(': ') as [string, string]) : [undefined, p];
          const root = event ? sent[event] : sent;
          assert.ok(root, `${p}: no ${event} payload`);
          const segments = path.replace('<field>', field).split('.').map((s) => s.replace('<question>', QUESTION));
          // A question row may name the question itself (…question) or the answer.
          const want = segments.at(-1) === 'question' || segments.at(-1) === 'question[]' ? QUESTION : normal[field];
          assert.ok(at(root, segments).includes(want), `${heading.slice(4)} ${type}: ${p} does not hold ${JSON.stringify(want)} in ${JSON.stringify(root)}`);
        }
        if (!paths.length) assert.ok(!JSON.stringify(sent).includes(normal[field]), `${heading.slice(4)} ${type}: the table says "—" but ${JSON.stringify(normal[field])} is sent`);
      }
    });
  }
});
