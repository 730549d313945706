import type { Agent } from './load.ts';
import type { AgentFileData } from './schema.ts';
import { resolveSecrets } from './secrets.ts';

// The daily budget in the owner's currency (`limits.dailyBudget`). Costs are estimated in US
// dollars, so the budget is turned into dollars once, when the agent is loaded, with the rate
// from the file or the environment; everything that enforces it keeps reading dailyBudgetUsd.

/** Why a budget in another currency cannot be used: its rate is missing or not a number. */
export class BudgetRateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BudgetRateError';
  }
}

/** The agent with `limits.dailyBudgetUsd` worked out from `limits.dailyBudget`, when that is set. */
export function withDailyBudget(agent: Agent, env: NodeJS.ProcessEnv = process.env): Agent {
  const budget = agent.config.limits.dailyBudget;
  if (!budget) return agent;
  const usd = budget.amount * usdPerUnit(budget, env);
  return { ...agent, config: { ...agent.config, limits: { ...agent.config.limits, dailyBudgetUsd: Math.round(usd * 10_000) / 10_000 } } };
}

function usdPerUnit(budget: NonNullable<AgentFileData['limits']['dailyBudget']>, env: NodeJS.ProcessEnv): number {
  if (budget.currency === 'USD' && budget.usdPerUnit === undefined) return 1;
  const raw = budget.usdPerUnit!;
  if (typeof raw === 'number') return raw;
  let text: string;
  try {
    text = resolveSecrets(raw, `limits.dailyBudget.usdPerUnit (the value of one ${budget.currency} in US dollars)`, env);
  } catch (e) {
    throw new BudgetRateError((e as Error).message);
  }
  const rate = Number(text);
  if (!(rate > 0) || !Number.isFinite(rate)) throw new BudgetRateError(`limits.dailyBudget.usdPerUnit: ${raw} holds "${text}", not a positive number (the value of one ${budget.currency} in US dollars)`);
  return rate;
}

/** The daily budget as the owner wrote it ("GBP 3.00 (US$3.81)", or "$10"), for messages. */
export function budgetText(limits: AgentFileData['limits']): string {
  const b = limits.dailyBudget;
  const usd = `US$${limits.dailyBudgetUsd.toFixed(2)}`;
  if (!b || b.currency === 'USD') return `$${limits.dailyBudgetUsd}`;
  const own = new Intl.NumberFormat('en', { style: 'currency', currency: b.currency }).format(b.amount);
  return `${own} (${usd})`;
}
