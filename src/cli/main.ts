import { Command } from 'commander';

// Each command lives in its own file and is imported only when it runs, so `parley check`
// does not pay for loading the model SDKs.
const commands: Record<string, () => Promise<{ command(): Command }>> = {
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
  migrate: () => import('./migrate.ts'),
  tools: () => import('./tools.ts'),
};

const program = new Command('parley')
  .description('Self-hosted voice agents defined as files: persona, voice, knowledge, tools.')
  .version('0.1.0')
  .showHelpAfterError();

const asked = process.argv[2];
const load = asked && commands[asked] ? [asked] : Object.keys(commands);
for (const name of load) program.addCommand((await commands[name]()).command());

await program.parseAsync(process.argv);
