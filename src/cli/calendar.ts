import { Command } from 'commander';
import { loadAgent } from '../agent/load.ts';
import { openStore } from '../store/store.ts';
import { bookingsIcs } from '../tools/calendar/index.ts';
import { exitOnAgentError } from './output.ts';

/** `parley calendar ics <agent-dir>`: the built-in calendar's bookings as an iCalendar feed. */
export function command(): Command {
  const cmd = new Command('calendar').description("the built-in calendar's bookings");
  cmd
    .command('ics')
    .description('print the bookings as an iCalendar (.ics) feed, e.g. to import or subscribe in a calendar app')
    .argument('<agent-dir>')
    .action(async (dir: string) => {
      const agent = await loadAgent(dir).catch(exitOnAgentError);
      const store = await openStore();
      process.stdout.write(await bookingsIcs(store, agent.name, { signal: AbortSignal.timeout(30_000), name: agent.config.description ?? agent.name }));
      await store.close();
    });
  return cmd;
}
