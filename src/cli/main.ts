import { Command } from 'commander';
import { commands } from './commands.ts';

const program = new Command('parley')
  .description('Self-hosted voice agents defined as files: persona, voice, knowledge, tools.')
  .version('0.1.0')
  .showHelpAfterError();

const asked = process.argv[2];
const load = asked && commands[asked] ? [asked] : Object.keys(commands);
for (const name of load) program.addCommand((await commands[name]()).command());

await program.parseAsync(process.argv);
