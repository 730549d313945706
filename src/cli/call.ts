import { Command } from 'commander';

/** `parley call <number> --agent NAME`: asks a running server to place an outbound call through Twilio. */
export function command(): Command {
  return new Command('call')
    .description('place an outbound phone call: a running parley server calls the number through Twilio and the agent talks (see docs/phone.md)')
    .argument('<number>', 'who to call, in E.164 form: +14155550123')
    .requiredOption('--agent <name>', 'the agent that calls (its channels.phone.number is the caller id)')
    .option('--server <url>', 'the running server (it must be reachable by Twilio at PARLEY_PUBLIC_URL)', process.env.PARLEY_SERVER_URL ?? 'http://127.0.0.1:3000')
    .action(async (number: string, o: { agent: string; server: string }) => {
      const token = process.env.PARLEY_ADMIN_TOKEN;
      let res: Response;
      try {
        res = await fetch(`${o.server.replace(/\/+$/, '')}/v1/agents/${encodeURIComponent(o.agent)}/calls`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ to: number }),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (e) {
        process.stderr.write(`could not reach the server at ${o.server} (${(e as Error).message}); start it with \`parley serve\` or pass --server\n`);
        process.exit(1);
      }
      const body = (await res.json().catch(() => ({}))) as { sid?: string; status?: string; from?: string; error?: string };
      if (!res.ok) {
        process.stderr.write(`${body.error ?? `the server answered ${res.status}`}${res.status === 401 ? ' (set PARLEY_ADMIN_TOKEN to the server\'s admin token)' : ''}\n`);
        process.exit(1);
      }
      process.stdout.write(`calling ${number} from ${body.from} (call ${body.sid}, ${body.status})\n`);
    });
}
