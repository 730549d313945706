import { Command } from 'commander';
import { loadAgent } from '../agent/load.ts';
import { ingestKnowledge, searchKnowledge } from '../knowledge/index.ts';
import { openStore } from '../store/store.ts';
import { knowledgeSpec } from './runtime.ts';
import { bold, dim, exitOnAgentError } from './output.ts';

/** `parley knowledge ingest|search`: index an agent's documents and query them. */
export function command(): Command {
  const cmd = new Command('knowledge').description("index and search an agent's documents");
  cmd
    .command('ingest')
    .description('read knowledge sources (md, txt, html, pdf, URLs), chunk and index them; unchanged files are skipped')
    .argument('<agent-dir>')
    .action(async (dir: string) => {
      const agent = await loadAgent(dir).catch(exitOnAgentError);
      const store = await openStore();
      const bar = progressBar();
      const report = await ingestKnowledge(store, knowledgeSpec(agent), { onProgress: bar.update });
      bar.done();
      await store.close();
      console.log(`${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged, ${report.removed} removed · ${report.chunks} chunks indexed`);
      for (const f of report.failed) console.error(`could not read ${f.source}: ${f.message}`);
      for (const f of report.skipped) console.error(`skipped ${f.source}: ${f.reason}`);
      if (report.failed.length) process.exitCode = 1;
    });
  cmd
    .command('search')
    .description('show the ranked chunks a caller turn would retrieve')
    .argument('<agent-dir>')
    .argument('<query>')
    .option('--limit <n>', 'how many chunks', '5')
    .option('--json', 'print JSON')
    .action(async (dir: string, query: string, o: { limit: string; json?: boolean }) => {
      const agent = await loadAgent(dir).catch(exitOnAgentError);
      const store = await openStore();
      const t0 = performance.now();
      const hits = await searchKnowledge(store, agent.name, query, { limit: Number(o.limit) });
      const ms = performance.now() - t0;
      await store.close();
      if (o.json) return console.log(JSON.stringify(hits, null, 2));
      if (!hits.length) return console.log(`no chunk matches (${ms.toFixed(2)} ms). Did you run \`parley knowledge ingest ${dir}\`?`);
      hits.forEach((h, i) => {
        console.log(`${bold(`${i + 1}. ${h.source}`)}${h.heading ? ` › ${h.heading}` : ''}  ${dim(`score ${h.score.toFixed(3)}`)}`);
        console.log(`   ${h.text.replace(/\s+/g, ' ').slice(0, 300)}${h.text.length > 300 ? '…' : ''}`);
      });
      console.log(dim(`${hits.length} chunks in ${ms.toFixed(2)} ms`));
    });
  return cmd;
}

/** A one-line progress bar on a terminal; plain lines otherwise. */
function progressBar() {
  const tty = process.stderr.isTTY;
  return {
    update: (p: { done: number; total: number; source: string; status: string }) => {
      if (!tty) return process.stderr.write(`${p.status.padEnd(9)} ${p.source}\n`);
      const width = 24;
      const filled = p.total ? Math.round((p.done / p.total) * width) : width;
      process.stderr.write(`\r[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${p.done}/${p.total} ${p.source.slice(-40).padEnd(40)}`);
    },
    done: () => {
      if (tty) process.stderr.write('\n');
    },
  };
}
