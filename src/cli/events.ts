import { Command } from 'commander';
import { newWebhookSecret } from '../events/signature.ts';
import { Outbox } from '../store/outbox.ts';
import { openStore } from '../store/store.ts';

/** `parley events secret|list|redeliver`: events out (docs/events.md). */
export function command(): Command {
  const cmd = new Command('events').description('events sent out: webhooks and emails (docs/events.md)');
  cmd
    .command('secret')
    .description('print a new webhook signing secret (whsec_…) to put in the environment')
    .action(() => void process.stdout.write(`${newWebhookSecret()}\n`));
  cmd
    .command('list')
    .description('the latest events with their deliveries and attempts, as JSON')
    .option('--agent <name>')
    .option('--limit <n>', 'how many', '20')
    .action(async (o: { agent?: string; limit: string }) => {
      const store = await openStore();
      const page = await new Outbox(store).list({ agent: o.agent, limit: Number(o.limit) });
      await store.close();
      process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
    });
  cmd
    .command('redeliver')
    .description('send an event again to every destination (a running server delivers it)')
    .argument('<event-id>')
    .action(async (id: string) => {
      const store = await openStore();
      const n = await new Outbox(store).redeliver(id, new Date().toISOString());
      await store.close();
      process.stdout.write(`${n ? `queued ${n} deliveries of ${id} again` : `no event ${id} (or it is being delivered right now)`}\n`);
      if (!n) process.exitCode = 1;
    });
  return cmd;
}
