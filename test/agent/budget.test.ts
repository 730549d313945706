import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { budgetText, withDailyBudget, BudgetRateError } from '../../src/agent/budget.ts';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { AgentFile } from '../../src/agent/schema.ts';
import { EXAMPLE } from '../helpers/cli.ts';

// A daily budget in the owner's currency: turned into dollars once, at load, with the rate from
// the file or the environment; the messages show the owner's amount.

const withBudget = async (dailyBudget: unknown): Promise<Agent> => {
  const agent = await loadAgent(EXAMPLE);
  const limits = AgentFile.shape.limits.parse({ dailyBudget });
  return { ...agent, config: { ...agent.config, limits } };
};

describe('limits.dailyBudget', () => {
  it('turns pounds into the dollars costs are estimated in, with the rate in the file', async () => {
    const agent = withDailyBudget(await withBudget({ amount: 3, currency: 'GBP', usdPerUnit: 1.27 }), {});
    assert.equal(agent.config.limits.dailyBudgetUsd, 3.81);
    assert.equal(budgetText(agent.config.limits), '£3.00 (US$3.81)');
  });

  it('reads the rate from the environment, and refuses a missing or non-numeric one, naming it', async () => {
    const eur = await withBudget({ amount: 5, currency: 'EUR', usdPerUnit: '${PARLEY_USD_PER_EUR}' });
    assert.equal(withDailyBudget(eur, { PARLEY_USD_PER_EUR: '1.1' }).config.limits.dailyBudgetUsd, 5.5);
    assert.throws(() => withDailyBudget(eur, {}), (e: Error) => e instanceof BudgetRateError && /PARLEY_USD_PER_EUR/.test(e.message));
    assert.throws(() => withDailyBudget(eur, { PARLEY_USD_PER_EUR: 'one point one' }), /not a positive number/);
  });

  it('needs no rate in dollars, and leaves an agent without dailyBudget alone', async () => {
    assert.equal(withDailyBudget(await withBudget({ amount: 2, currency: 'USD' }), {}).config.limits.dailyBudgetUsd, 2);
    const plain = await loadAgent(EXAMPLE);
    assert.equal(withDailyBudget(plain, {}), plain);
    assert.equal(budgetText(plain.config.limits), `$${plain.config.limits.dailyBudgetUsd}`);
  });

  it('is refused in agent.yaml without a rate for another currency, or with a currency that is not a code', () => {
    const base = { persona: { prompt: 'x', firstMessage: 'hi' } };
    const noRate = AgentFile.safeParse({ ...base, limits: { dailyBudget: { amount: 3, currency: 'GBP' } } });
    assert.equal(noRate.success, false);
    assert.match(JSON.stringify(noRate.error?.issues), /the value of one GBP in US dollars/);
    assert.equal(AgentFile.safeParse({ ...base, limits: { dailyBudget: { amount: 3, currency: 'pounds', usdPerUnit: 1.27 } } }).success, false);
  });
});
