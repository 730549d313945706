import type { Agent } from '../agent/load.ts';

// Keys the caller pressed become a caller turn of their own, the same on the phone door and in
// a scenario run as a phone call: "(the caller pressed 1 2 3 #)". A transfer tool's `key`
// pressed alone asks for a person, so the model must call transfer first.

/** The caller turn one keypad input ("123#") becomes, and the tool the model must call first, if any. */
export function keypadTurn(agent: Agent, keys: string): { text: string; firstTool?: string } {
  const shortcut = agent.config.tools.some((t) => t.type === 'transfer' && t.key === keys);
  return shortcut ? { text: `(the caller pressed ${keys}, the key for a person)`, firstTool: 'transfer' } : { text: `(the caller pressed ${[...keys].join(' ')})` };
}
