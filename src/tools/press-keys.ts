import { z } from 'zod';
import type { ToolContext } from './context.ts';
import type { ToolSpec } from './traced.ts';

// press_keys: the agent presses keys on the phone (a menu: "press 2 for sales") — DTMF played on
// the call through Twilio's REST API (<Play digits>), the one way Twilio documents.

/** The keys a phone can send: 0-9 * # A-D, and `w` for a half-second pause. */
export const KEYS = /^[0-9*#A-Dw]{1,32}$/;

const KEYS_INPUT = z.object({ keys: z.string().describe('The keys in order: 0-9, *, #, A-D; w waits half a second. E.g. "2" or "1234#".') });

export function pressKeysTool(ctx: ToolContext, description?: string): ToolSpec<{ keys: string }> {
  return {
    name: 'press_keys',
    description: description ?? 'Press keys on the phone keypad, e.g. to choose an option in an automated phone menu ("press 2 for sales"). Use w for a half-second pause.',
    inputSchema: KEYS_INPUT,
    run: async ({ keys }, signal) => {
      const digits = keys.replace(/[\s,-]/g, '');
      if (!KEYS.test(digits)) return { result: { pressed: false, note: 'Keys must be 0-9, *, #, A-D or w (pause), at most 32.' }, error: `invalid keys "${keys.slice(0, 40)}"` };
      if (!ctx.phone) return { result: { pressed: false, note: 'Pressing keys is only possible on phone calls.' } };
      await ctx.phone.pressKeys(digits, signal);
      return { result: { pressed: true, keys: digits, note: 'Pressed. Listen to what the menu says next.' } };
    },
  };
}
