import type { AgentFileData } from './schema.ts';
import { resolveSecrets } from './secrets.ts';

// channels.phone.number may be ${NAME} (the number is not a secret, but the owner may keep it in
// the environment): it is filled and checked as E.164 where it is used.

/** An E.164 phone number. */
export const E164 = /^\+[1-9]\d{6,14}$/;

/** The agent's own number with its ${NAME} filled; throws MissingSecretError naming an unset variable, or an Error when the value is not E.164. */
export function phoneNumber(config: Pick<AgentFileData, 'channels'>, env: NodeJS.ProcessEnv): string | undefined {
  const written = config.channels.phone?.number;
  if (!written) return undefined;
  const number = resolveSecrets(written, 'channels.phone.number', env).trim();
  if (!E164.test(number)) throw new Error(`channels.phone.number: ${written} holds "${number}", not an E.164 number (e.g. +14155550123)`);
  return number;
}

/** The agent's own number, or undefined when it has none or it cannot be resolved (for matching and display). */
export function phoneNumberOrNone(config: Pick<AgentFileData, 'channels'>, env: NodeJS.ProcessEnv): string | undefined {
  try {
    return phoneNumber(config, env);
  } catch {
    return undefined;
  }
}
