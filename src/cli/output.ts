import { AgentLoadError, formatProblem } from '../agent/problems.ts';
import { MissingSecretError } from '../agent/secrets.ts';

/** Prints a configuration error the way a user can act on it, then exits; anything else is rethrown. */
export function exitOnAgentError(e: unknown): never {
  if (e instanceof AgentLoadError) {
    for (const p of e.problems) console.error(formatProblem(p));
    console.error(`${e.problems.length} problem${e.problems.length === 1 ? '' : 's'} found`);
    process.exit(1);
  }
  // By name: importing the model module here would load every provider SDK for `parley check`.
  if ((e instanceof Error && (e.name === 'ModelConfigError' || e.name === 'LocalModelError' || e.name === 'BudgetRateError')) || e instanceof MissingSecretError) {
    console.error(`parley: ${(e as Error).message}`);
    process.exit(2);
  }
  throw e;
}

export const dim = (s: string): string => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[22m` : s);
export const bold = (s: string): string => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[22m` : s);
