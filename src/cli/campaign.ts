import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import type { CampaignView, ContactView } from '../store/campaign-types.ts';
import { bold, dim } from './output.ts';

// `parley campaign start|list|status|pause|resume|dnc`: outbound campaigns through a running
// server's admin API (docs/phone.md), like `parley call`. The server dials: every node with
// PARLEY_PUBLIC_URL set runs the campaign runner.

const server = () => new Command().option('--server <url>', 'the running server', process.env.PARLEY_SERVER_URL ?? 'http://127.0.0.1:3000').option('--json', 'print JSON');

async function api(o: { server: string }, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const token = process.env.PARLEY_ADMIN_TOKEN;
  let res: Response;
  try {
    res = await fetch(`${o.server.replace(/\/+$/, '')}${path}`, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(60_000),
    });
  } catch (e) {
    process.stderr.write(`could not reach the server at ${o.server} (${(e as Error).message}); start it with \`parley serve\` or pass --server\n`);
    process.exit(1);
  }
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    process.stderr.write(`${String(json.error ?? `the server answered ${res.status}`)}${res.status === 401 ? " (set PARLEY_ADMIN_TOKEN to the server's admin token)" : ''}\n`);
    for (const p of (json.problems as string[] | undefined) ?? []) process.stderr.write(`  ${p}\n`);
    process.exit(1);
  }
  return json;
}

function summary(c: CampaignView): string {
  const k = c.contacts;
  const outcomes = Object.entries(c.outcomes).map(([o, n]) => `${o} ${n}`).join(', ');
  const w = c.settings.window;
  return [
    `${bold(c.id.slice(0, 8))}  ${c.name}  ${dim(`(${c.agent})`)}  ${c.state}`,
    `  contacts: ${k.pending} waiting, ${k.calling} calling, ${k.done} reached, ${k.unreachable} unreachable, ${k['do-not-call']} do-not-call`,
    `  outcomes: ${outcomes || 'none yet'}`,
    dim(`  ${w.start}-${w.end} callee time, days ${w.days.join(',')} · ${c.settings.concurrency} at once · ${c.settings.perMinute}/min · ${c.settings.maxAttempts} attempts, retries after ${c.settings.retryMinutes.join(', ')} min`),
  ].join('\n');
}

/** `parley campaign`. */
export function command(): Command {
  const cmd = new Command('campaign').description('outbound calling campaigns: a contact list dialled by the running server within calling hours (docs/phone.md)');
  cmd
    .addCommand(
      server()
        .name('start')
        .description('start a campaign from a CSV file (a phone column; name, timezone and any columns for {{variables}})')
        .argument('<file.csv>', 'the contact list')
        .requiredOption('--agent <name>', 'the agent that calls (its channels.phone.number is the caller id)')
        .option('--name <name>', 'a name for the campaign')
        .option('--hours <HH:MM-HH:MM>', "calling hours in each callee's local time", '09:00-20:00')
        .option('--days <days>', 'calling days: mon-fri, mon,wed,sat, all', 'mon-fri')
        .option('--concurrency <n>', 'calls at once, across every node', '2')
        .option('--per-minute <n>', 'calls placed per minute, across every node', '10')
        .option('--max-attempts <n>', 'attempts per contact (busy and unanswered calls are retried)', '3')
        .option('--retry-minutes <list>', 'minutes before each retry', '30,120')
        .option('--country <CC>', 'country of numbers written without +country code, e.g. US')
        .action(async (file: string, o: { server: string; json?: boolean; agent: string; name?: string; hours: string; days: string; concurrency: string; perMinute: string; maxAttempts: string; retryMinutes: string; country?: string }) => {
          let csv: string;
          try {
            csv = readFileSync(file, 'utf8');
          } catch (e) {
            process.stderr.write(`cannot read ${file}: ${(e as Error).message}\n`);
            process.exit(1);
          }
          const r = await api(o, 'POST', '/v1/admin/campaigns', { agent: o.agent, name: o.name ?? file.replace(/^.*\//, '').replace(/\.csv$/i, ''), csv, hours: o.hours, days: o.days, concurrency: o.concurrency, perMinute: o.perMinute, maxAttempts: o.maxAttempts, retryMinutes: o.retryMinutes, country: o.country });
          if (o.json) return console.log(JSON.stringify(r, null, 2));
          console.log(`started campaign ${(r.campaign as CampaignView).id}\n${summary(r.campaign as CampaignView)}`);
          if (!r.dialling) console.log(dim('this server does not dial (PARLEY_PUBLIC_URL unset, or PARLEY_CAMPAIGNS=off); a node that does will pick it up'));
        }),
    )
    .addCommand(
      server()
        .name('list')
        .description('campaigns, newest first, with their counts')
        .action(async (o: { server: string; json?: boolean }) => {
          const r = await api(o, 'GET', '/v1/admin/campaigns');
          if (o.json) return console.log(JSON.stringify(r, null, 2));
          const list = r.campaigns as CampaignView[];
          console.log(list.length ? list.map(summary).join('\n\n') : 'no campaigns yet');
        }),
    )
    .addCommand(
      server()
        .name('status')
        .description('one campaign and its contacts')
        .argument('<id>', 'campaign id (a unique prefix is enough)')
        .action(async (id: string, o: { server: string; json?: boolean }) => {
          const r = await api(o, 'GET', `/v1/admin/campaigns/${encodeURIComponent(id)}`);
          if (o.json) return console.log(JSON.stringify(r, null, 2));
          console.log(summary(r.campaign as CampaignView));
          for (const c of r.contacts as ContactView[]) {
            const when = c.state === 'pending' ? ` next ${c.nextAttemptAt.replace('T', ' ').slice(0, 16)} UTC` : '';
            console.log(`  ${String(c.row).padStart(5)}  ${c.phone.padEnd(16)} ${(c.name ?? '').padEnd(18).slice(0, 18)} ${c.state.padEnd(12)} ${c.attempts} tries ${c.outcome ?? ''}${dim(when)}${c.lastError ? dim(` (${c.lastError})`) : ''}`);
          }
        }),
    );
  for (const action of ['pause', 'resume'] as const) {
    cmd.addCommand(
      server()
        .name(action)
        .description(action === 'pause' ? 'stop placing new calls (calls in progress go on)' : 'place calls again')
        .argument('<id>', 'campaign id (a unique prefix is enough)')
        .action(async (id: string, o: { server: string; json?: boolean }) => {
          const r = await api(o, 'POST', `/v1/admin/campaigns/${encodeURIComponent(id)}/${action}`);
          console.log(o.json ? JSON.stringify(r, null, 2) : summary(r.campaign as CampaignView));
        }),
    );
  }
  const dnc = new Command('dnc').description('the do-not-call list, honoured by every call Parley places');
  dnc.addCommand(
    server()
      .name('add')
      .argument('<number>', 'E.164, e.g. +14155550123')
      .option('--reason <text>')
      .action(async (number: string, o: { server: string; reason?: string }) => {
        const r = await api(o, 'POST', '/v1/admin/do-not-call', { phone: number, reason: o.reason });
        console.log(`${String(r.phone)} will not be called`);
      }),
  );
  dnc.addCommand(
    server()
      .name('remove')
      .argument('<number>')
      .action(async (number: string, o: { server: string }) => {
        await api(o, 'DELETE', `/v1/admin/do-not-call/${encodeURIComponent(number)}`);
        console.log(`${number} removed from the do-not-call list`);
      }),
  );
  dnc.addCommand(
    server()
      .name('list')
      .action(async (o: { server: string; json?: boolean }) => {
        const r = await api(o, 'GET', '/v1/admin/do-not-call');
        const list = r.numbers as { phone: string; source: string; reason: string | null; addedAt: string }[];
        if (o.json) return console.log(JSON.stringify(list, null, 2));
        console.log(list.length ? list.map((e) => `${e.phone.padEnd(16)} ${e.addedAt.slice(0, 10)} ${e.source.padEnd(6)} ${e.reason ?? ''}`).join('\n') : 'the do-not-call list is empty');
      }),
  );
  cmd.addCommand(dnc);
  return cmd;
}
