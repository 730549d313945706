import { Command } from 'commander';
import { Analyses } from '../store/analyses.ts';
import type { AnalysisRecord } from '../store/record-types.ts';
import { Records, type ConversationRecord, type ConversationListItem } from '../store/records.ts';
import { openStore } from '../store/store.ts';
import { bold, dim } from './output.ts';

/** `parley conversations list|show`: read the conversation records. */
export function command(): Command {
  const cmd = new Command('conversations').description('list and inspect recorded conversations');
  cmd
    .command('list')
    .description('most recent conversations first')
    .option('--json', 'print JSON')
    .option('--agent <name>', 'only this agent')
    .option('--limit <n>', 'how many', '50')
    .action(async (o: { json?: boolean; agent?: string; limit: string }) => {
      const rows = await listConversations({ agent: o.agent, limit: Number(o.limit) });
      if (o.json) return console.log(JSON.stringify(rows, null, 2));
      if (!rows.length) return console.log('no conversations yet');
      for (const r of rows) {
        // An outbound call shows how it was answered: human, voicemail, no-answer, busy, failed.
        const call = r.callOutcome ? `  ${r.callOutcome}${r.campaignId ? ` (campaign ${r.campaignId.slice(0, 8)})` : ''}` : '';
        console.log(`${r.id.slice(0, 8)}  ${r.startedAt.replace('T', ' ').slice(0, 19)}  ${r.agent.padEnd(18)} ${r.channel.padEnd(5)} ${String(r.turns).padStart(3)} turns  ${r.lead ? 'lead ' : '     '} ${r.endReason ?? (r.endedAt ? '' : 'open')}${call}`);
      }
    });
  cmd
    .command('show')
    .description('one conversation: turns, knowledge used, tool calls with request and raw response, lead')
    .argument('<id>', 'conversation id (a unique prefix is enough)')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const found = await showConversation(id);
      if (!found) {
        console.error(`parley: no single conversation matches "${id}"`);
        process.exit(1);
      }
      const { analysis, ...rec } = found;
      console.log(o.json ? JSON.stringify(found, null, 2) : formatRecord(rec, analysis));
    });
  return cmd;
}

/** The most recent conversations in the store, newest first. */
export async function listConversations(o: { agent?: string; limit?: number }): Promise<ConversationListItem[]> {
  const store = await openStore();
  try {
    return (await new Records(store.db, store.kind).search({ agent: o.agent, limit: o.limit ?? 50 })).items;
  } finally {
    await store.close();
  }
}

/** One conversation's record with its post-call analysis, by id or unique prefix; undefined when none (or several) match. */
export async function showConversation(id: string): Promise<(ConversationRecord & { analysis: AnalysisRecord | null }) | undefined> {
  const store = await openStore();
  try {
    const rec = await new Records(store.db).get(id);
    return rec ? { ...rec, analysis: await new Analyses(store.db).get(rec.id) } : undefined;
  } finally {
    await store.close();
  }
}

function formatRecord(r: ConversationRecord, a: AnalysisRecord | null): string {
  const lines = [bold(`conversation ${r.id}`), `agent ${r.agent} (version ${r.agentVersion}) · ${r.channel} ${r.direction} · ${r.startedAt} → ${r.endedAt ?? 'open'}${r.endReason ? ` (${r.endReason})` : ''}`];
  if (r.call) lines.push(`call ${r.call.sid} · outcome ${r.call.outcome ?? 'unknown'}${r.call.answeredBy ? ` (Twilio: ${r.call.answeredBy})` : ''}${r.call.campaignId ? ` · campaign ${r.call.campaignId} contact ${r.call.contactId}` : ''}`);
  lines.push('');
  for (const t of r.turns) {
    lines.push(`${bold(t.role === 'agent' ? 'agent ›' : 'caller ›')} ${t.text}${t.interrupted ? dim(` [interrupted; heard: ${t.heardText}]`) : ''}`);
    for (const k of t.knowledge) lines.push(dim(`    📄 ${k.source} › ${k.heading} (${k.score.toFixed(2)})`));
    if (t.grounding === 'declined') lines.push(dim('    (no document matched: declined to guess)'));
    for (const c of r.toolCalls.filter((c) => c.turnSeq === t.seq)) {
      lines.push(dim(`    ⚙ ${c.name}(${JSON.stringify(c.input)}) ${c.durationMs} ms${c.error ? ` error: ${c.error}` : ''}`));
      if (c.request) lines.push(dim(`      request  ${JSON.stringify(c.request)}`));
      if (c.response) lines.push(dim(`      response ${JSON.stringify(c.response)}`));
    }
  }
  if (r.lead) lines.push('', bold('lead'), ...Object.entries(r.lead).map(([k, v]) => `  ${k}: ${v}`));
  for (const b of r.bookings) lines.push('', bold('booking'), `  ${b.start} (${b.status}, ${b.provider}) for ${b.attendee.name} <${b.attendee.email}>, business zone ${b.timeZone}${b.url ? `, ${b.url}` : ''}`);
  if (r.recording) lines.push('', bold('recording'), `  ${r.recording.path} (${(r.recording.durationMs / 1000).toFixed(1)} s, caller left, agent right)`);
  if (r.errors?.length) lines.push('', bold('errors'), ...r.errors.map((e) => `  ${e.at} ${e.where}: ${e.message}`));
  if (a) {
    lines.push('', bold(`analysis (${a.status}${a.model ? `, ${a.model}` : ''})`));
    if (a.error) lines.push(`  ${a.error}`);
    if (a.summary) lines.push(`  ${a.summary}`);
    for (const [k, v] of Object.entries(a.data ?? {})) lines.push(`  ${k}: ${v === null ? '—' : String(v)}`);
    for (const c of a.criteria) lines.push(`  ${c.pass ? 'pass' : 'FAIL'}  ${c.criterion}: ${dim(c.reason)}`);
  }
  return lines.join('\n');
}
