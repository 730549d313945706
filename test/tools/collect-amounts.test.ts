import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { collectSpec, type CollectSpec } from '../../src/agent/collect.ts';
import { loadAgent } from '../../src/agent/load.ts';
import { AgentFile } from '../../src/agent/schema.ts';
import { readBackConfirmed } from '../../src/tools/collect/read-back.ts';
import { checkValue } from '../../src/tools/collect/values.ts';

// number and money fields, and a field's pattern: what callers say becomes a normal form, a value
// out of range or not matching the rule is refused with words the model can act on.

const NOW = { now: new Date('2026-12-02T12:00:00Z'), timeZone: 'America/Chicago' };
const spec = (o: Record<string, unknown>): CollectSpec => collectSpec(AgentFile.shape.collect.parse([o])[0], NOW.timeZone);
const value = (s: CollectSpec, raw: string) => checkValue(s, raw, NOW);

describe('number and money fields', () => {
  it('money: "about 180 bucks", "two hundred dollars", "1,250.50" become an amount in the field\'s currency', () => {
    const bill = spec({ field: 'monthly_bill', type: 'money' });
    assert.equal(bill.currency, 'USD', 'the currency of the zone\'s country');
    assert.deepEqual(value(bill, 'about 180 bucks'), { value: '180 USD', say: '180.00 US dollars' });
    assert.deepEqual(value(bill, 'two hundred dollars'), { value: '200 USD', say: '200.00 US dollars' });
    assert.deepEqual(value(bill, '1,250.50'), { value: '1250.50 USD', say: '1,250.50 US dollars' });
    assert.deepEqual(value(bill, '$95 a month'), { value: '95 USD', say: '95.00 US dollars' });
    assert.match((value(bill, '180 euros') as { error: string }).error, /monthly_bill "180 euros" is not in USD; ask the caller for the amount in USD/);
    assert.match((value(bill, 'not sure') as { error: string }).error, /not an amount of money/);
    assert.match((value(bill, 'one fifty') as { error: string }).error, /not an amount of money/, 'two numbers said together are not guessed at');
    const pln = collectSpec(AgentFile.shape.collect.parse([{ field: 'fee', type: 'money' }])[0], 'Europe/Warsaw');
    assert.equal(pln.currency, 'PLN');
    assert.deepEqual(value(pln, '1.250,50 zł'), { value: '1250.50 PLN', say: '1,250.50 Polish zlotys' });
  });

  it('number: words and digits, min and max', () => {
    const panels = spec({ field: 'panels', type: 'number', min: 1, max: 100 });
    assert.deepEqual(value(panels, 'twenty five'), { value: '25', say: '25' });
    assert.deepEqual(value(panels, 'about 12'), { value: '12', say: '12' });
    assert.match((value(panels, '250') as { error: string }).error, /panels 250 is above the largest accepted, 100/);
    assert.match((value(panels, 'zero') as { error: string }).error, /panels 0 is below the smallest accepted, 1/);
    assert.match((value(panels, 'lots') as { error: string }).error, /panels "lots" is not a number/);
  });

  it('read-back: repeat hears the amount in digits or words; digits hears every digit', () => {
    const bill = spec({ field: 'monthly_bill', type: 'money', confirm: 'repeat' });
    const said = (agent: string) => [{ role: 'agent' as const, text: agent }, { role: 'caller' as const, text: 'yes' }];
    assert.equal(readBackConfirmed(bill, '1250.50 USD', said('So about 1,250.50 dollars a month, right?')), true);
    assert.equal(readBackConfirmed(bill, '200 USD', said('So two hundred dollars a month?')), true);
    assert.equal(readBackConfirmed(bill, '200 USD', said('So three hundred dollars a month?')), false);
    assert.equal(readBackConfirmed(bill, '200 USD', [{ role: 'agent', text: 'Two hundred dollars?' }, { role: 'caller', text: 'no, three' }]), false);
    const id = spec({ field: 'account', type: 'number', confirm: 'digits' });
    assert.equal(readBackConfirmed(id, '4821', said('That is four eight two one?')), true);
  });

  it('the schema keeps min, max and currency to number and money', () => {
    assert.equal(AgentFile.shape.collect.safeParse([{ field: 'x', type: 'text', min: 3 }]).success, false);
    assert.equal(AgentFile.shape.collect.safeParse([{ field: 'x', type: 'number', currency: 'USD' }]).success, false);
    assert.equal(AgentFile.shape.collect.safeParse([{ field: 'x', type: 'money', currency: 'EUR', min: 0 }]).success, true);
  });
});

describe('a field\'s pattern', () => {
  const nip = spec({ field: 'nip', pattern: '^[0-9]{10}$', patternHint: '10 digits', confirm: 'digits' });

  it('a 10-digit NIP is kept without spaces and dashes; 3 digits are refused naming the field and the rule', () => {
    assert.deepEqual(value(nip, '123-456-32-18'), { value: '1234563218', say: 'one two three, four five six, three two one eight' });
    assert.deepEqual(value(nip, 'one two three four five six three two one eight'), { value: '1234563218', say: 'one two three, four five six, three two one eight' });
    const refused = value(nip, '123') as { error: string };
    assert.equal(refused.error, 'nip "123" does not match its rule (10 digits: ^[0-9]{10}$, checked without spaces and dashes); ask the caller for it again');
  });

  it('parley check names the file, line and field of a bad regular expression', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-pattern-'));
    try {
      writeFileSync(join(dir, 'agent.yaml'), 'persona: { prompt: p, firstMessage: hi }\ncollect:\n  - name\n  - field: nip\n    pattern: "^[0-9{10}$"\n');
      await assert.rejects(loadAgent(dir), (e: Error) => /agent\.yaml:5.*collect\.1\.pattern.*not a regular expression/s.test(e.message) || assert.fail(e.message));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
