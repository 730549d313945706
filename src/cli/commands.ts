import type { Command } from 'commander';

// Each command lives in its own file and is imported only when it runs, so `parley check`
// does not pay for loading the model SDKs.

/** Every `parley` command by name, loaded on demand. */
export const commands: Record<string, () => Promise<{ command(): Command }>> = {
  check: () => import('./check.ts'),
  schema: () => import('./schema.ts'),
  chat: () => import('./chat.ts'),
  knowledge: () => import('./knowledge.ts'),
  conversations: () => import('./conversations.ts'),
  test: () => import('./test.ts'),
  replay: () => import('./replay.ts'),
  voices: () => import('./voices.ts'),
  models: () => import('./models.ts'),
  init: () => import('./init.ts'),
  calendar: () => import('./calendar.ts'),
  events: () => import('./events.ts'),
  dev: () => import('./dev.ts'),
  serve: () => import('./serve.ts'),
  call: () => import('./call.ts'),
  campaign: () => import('./campaign.ts'),
  migrate: () => import('./migrate.ts'),
  tools: () => import('./tools.ts'),
  mcp: () => import('./mcp.ts'),
};
