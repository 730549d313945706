import { Command } from 'commander';
import { loadAgent } from '../agent/load.ts';
import { meetingLocation } from '../agent/meeting.ts';
import { createCalendarFeed, revokeCalendarFeeds } from '../store/calendar-feeds.ts';
import { openStore } from '../store/store.ts';
import { bookingsIcs } from '../tools/calendar/index.ts';
import { PREVIEW_TARGETS, previewBooking, type PreviewTarget } from '../tools/calendar/preview.ts';
import { timeoutSignal } from '../util/timeout-signal.ts';
import { exitOnAgentError } from './output.ts';

/** `parley calendar ics|feed|preview`: the built-in calendar's bookings as an iCalendar feed, and what each provider receives from `collect`. */
export function command(): Command {
  const cmd = new Command('calendar').description("the built-in calendar's bookings, and what each calendar receives from collect");
  cmd
    .command('preview')
    .description('print, offline, the exact booking request cal.com and Calendly would get, the built-in calendar would store and webhooks would carry for the collect fields')
    .argument('<agent-dir>')
    .option('--provider <name>', `one of ${PREVIEW_TARGETS.join(', ')} (default: all)`)
    .option('--value <field=value...>', 'what the caller said for a field (checked like save_lead does), e.g. --value phone="07911 123456"; sample values fill the rest')
    .action(async (dir: string, opts: { provider?: string; value?: string[] }) => {
      const agent = await loadAgent(dir).catch(exitOnAgentError);
      if (opts.provider && !PREVIEW_TARGETS.includes(opts.provider as PreviewTarget)) {
        process.stderr.write(`parley calendar preview: --provider must be one of ${PREVIEW_TARGETS.join(', ')}\n`);
        process.exit(2);
      }
      const values = Object.fromEntries((opts.value ?? []).map((v) => [v.slice(0, Math.max(0, v.indexOf('='))), v.slice(v.indexOf('=') + 1)]));
      const { entries, problems } = await previewBooking(agent, { values, targets: opts.provider ? [opts.provider as PreviewTarget] : undefined });
      for (const p of problems) process.stderr.write(`parley calendar preview: ${p}\n`);
      process.stdout.write(`${JSON.stringify(Object.fromEntries(entries.map((e) => [e.target, e.receives])), null, 2)}\n`);
      if (problems.length) process.exitCode = 1;
    });
  cmd
    .command('ics')
    .description('print the bookings as an iCalendar (.ics) feed, e.g. to import or subscribe in a calendar app')
    .argument('<agent-dir>')
    .action(async (dir: string) => {
      const agent = await loadAgent(dir).catch(exitOnAgentError);
      const store = await openStore();
      process.stdout.write(await bookingsIcs(store, agent.name, { signal: timeoutSignal(30_000), name: agent.config.description ?? agent.name, location: meetingLocation(agent.config.calendar, process.env) }));
      await store.close();
    });
  const feed = cmd.command('feed').description('the secret URL calendar apps subscribe to (served by parley serve/dev)');
  feed
    .command('create')
    .description('make a new secret feed URL (printed once; only its hash is stored)')
    .argument('<agent-dir>')
    .action(async (dir: string) => {
      const agent = await loadAgent(dir).catch(exitOnAgentError);
      if (agent.config.calendar?.provider !== 'builtin') {
        process.stderr.write(`parley calendar feed: ${agent.name} does not use the built-in calendar (calendar.provider: builtin)\n`);
        process.exit(2);
      }
      const store = await openStore();
      const path = `/v1/calendars/${await createCalendarFeed(store, agent.name)}.ics`;
      await store.close();
      const base = process.env.PARLEY_PUBLIC_URL?.replace(/\/+$/, '');
      process.stdout.write(`${base ? `${base}${path}` : path}\n`);
      if (!base) process.stderr.write('(PARLEY_PUBLIC_URL is not set: put the server\'s public address in front of this path)\n');
    });
  feed
    .command('revoke')
    .description('revoke every feed URL of the agent (make a new one with create)')
    .argument('<agent-dir>')
    .action(async (dir: string) => {
      const agent = await loadAgent(dir).catch(exitOnAgentError);
      const store = await openStore();
      const n = await revokeCalendarFeeds(store, agent.name);
      await store.close();
      process.stdout.write(`revoked ${n} feed URL${n === 1 ? '' : 's'} of ${agent.name}\n`);
    });
  return cmd;
}
