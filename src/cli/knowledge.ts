import { Command } from 'commander';
import { loadAgent, type Agent } from '../agent/load.ts';
import { ingestKnowledge } from '../knowledge/index.ts';
import { agentEmbedder } from '../llm/agent-models.ts';
import { groundTurn, vocabularyOf } from '../session/grounding.ts';
import type { GuardrailConfig } from '../agent/schema.ts';
import type { Embedder } from '../knowledge/index.ts';
import { nearestTopic, topicVectorsOf } from '../session/guardrail-meaning.ts';
import { guardedTopicOf, guardedTopicsOf, type GuardMatch } from '../session/guardrails.ts';
import { openStore, type Store } from '../store/store.ts';
import { knownLanguage, type KnownLanguage } from '../util/language.ts';
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
      const { embedder, warning } = agentEmbedder(agent);
      if (warning) console.error(warning);
      const report = await ingestKnowledge(store, knowledgeSpec(agent), { onProgress: bar.update, embedder });
      bar.done();
      await store.close();
      console.log(`${report.added} added, ${report.updated} updated, ${report.unchanged} unchanged, ${report.removed} removed · ${report.chunks} chunks indexed`);
      if (report.embeddings && 'error' in report.embeddings) console.error(`could not embed chunks: ${report.embeddings.error}`);
      else if (report.embeddings) console.log(`embeddings (${embedder!.label}): ${report.embeddings.embedded} embedded, ${report.embeddings.kept} kept, ${report.embeddings.dropped} dropped`);
      for (const f of report.failed) console.error(`could not read ${f.source}: ${f.message}`);
      for (const f of report.skipped) console.error(`skipped ${f.source}: ${f.reason}`);
      if (report.failed.length) process.exitCode = 1;
    });
  cmd
    .command('search')
    .alias('explain')
    .description('show the chunks a caller turn would retrieve, and whether it would be answered, declined as not in the documents, or turned away as a guarded topic')
    .argument('<agent-dir>')
    .argument('<query>', "the caller's words, as a recogniser writes them")
    .option('--limit <n>', 'how many chunks (default: knowledge.topK)')
    .option('--after <turn...>', 'earlier caller turns, oldest first, for a follow-up ("and how long does that take")')
    .option('--json', 'print JSON')
    .action(async (dir: string, query: string, o: { limit?: string; after?: string[]; json?: boolean }) => {
      const agent = await loadAgent(dir).catch(exitOnAgentError);
      const { store, index } = await storeWithIndex(agent, await openStore(), dir, (l) => console.error(l));
      const t0 = performance.now();
      const x = await explainQuestion(agent, store, query, { after: o.after, limit: o.limit ? Number(o.limit) : undefined, log: (l) => console.error(l) }).finally(() => store.close());
      const ms = performance.now() - t0;
      if (o.json) return console.log(JSON.stringify({ hits: x.hits, decision: x.decision }, null, 2));
      if (!x.hits.length) {
        console.log(`no chunk matches (${ms.toFixed(2)} ms)${noMatchHint(index, dir)}`);
        return console.log(x.why);
      }
      x.hits.forEach((h, i) => {
        console.log(`${bold(`${i + 1}. ${h.source}`)}${h.heading ? ` › ${h.heading}` : ''}  ${dim(`score ${h.score.toFixed(3)}`)}`);
        console.log(`   ${h.text.replace(/\s+/g, ' ').slice(0, 300)}${h.text.length > 300 ? '…' : ''}`);
      });
      console.log(dim(`${x.hits.length} chunks in ${ms.toFixed(2)} ms`));
      console.log(x.why);
    });
  return cmd;
}

/**
 * The store to explain from: `store` when it holds the agent's index; otherwise (nothing ingested
 * yet, or another working directory's store) the documents indexed in memory, as `parley test`
 * does, so an empty index is never read as "not in the documents".
 */
async function storeWithIndex(agent: Agent, store: Store, dir: string, log: (line: string) => void): Promise<{ store: Store; index: IndexSource }> {
  if (!agent.config.knowledge.sources.length) return { store, index: { kind: 'no-sources' } };
  const indexed = await store.db.selectFrom('knowledge_sources').select('agent').where('agent', '=', agent.name).limit(1).executeTakeFirst();
  if (indexed) return { store, index: { kind: 'ingested' } };
  await store.close();
  log(`nothing is indexed for ${agent.name} in this store yet: indexing its documents in memory for this question (\`parley knowledge ingest ${dir}\` keeps the index)`);
  const memory = await openStore('file::memory:');
  const report = await ingestKnowledge(memory, knowledgeSpec(agent), { embedder: agentEmbedder(agent).embedder });
  for (const f of report.failed) log(`could not read ${f.source}: ${f.message}`);
  return { store: memory, index: { kind: 'in-memory', chunks: report.chunks } };
}

/** Where the chunks searched came from, so "no chunk matches" can say what to do about it. */
type IndexSource = { kind: 'no-sources' } | { kind: 'ingested' } | { kind: 'in-memory'; chunks: number };

/** The hint after "no chunk matches": ingest only helps when the index is stale or nothing could be indexed (solar LOG entry 8). */
function noMatchHint(index: IndexSource, dir: string): string {
  switch (index.kind) {
    case 'no-sources':
      return '. The agent has no knowledge.sources.';
    case 'ingested':
      return `. If the documents changed since, run \`parley knowledge ingest ${dir}\` again.`;
    case 'in-memory':
      return index.chunks
        ? ` among the ${index.chunks} chunks of its documents (indexed just now, above).`
        : `. Nothing could be indexed from knowledge.sources (see above): fix them, then \`parley knowledge ingest ${dir}\`.`;
  }
}

/** The guarded topic a question touches, by its words or (with embeddings) by meaning, as a conversation would decide it. */
async function guardOf(query: string, config: GuardrailConfig[], language: KnownLanguage, vector: Float32Array | undefined, embedder: Embedder | undefined): Promise<{ match?: GuardMatch; note?: string }> {
  const topics = guardedTopicsOf(config, language);
  const byWords = guardedTopicOf(query, topics);
  if (byWords) return { match: { topic: byWords, by: 'words' } };
  if (!topics.length || !embedder) return {};
  if (!vector) return { note: 'guarded topics were matched by words alone: the question could not be embedded' };
  const t = await topicVectorsOf(topics, embedder);
  if ('error' in t) return { note: `guarded topics were matched by words alone: ${t.error}` };
  return { match: nearestTopic(vector, topics, t.vectors) };
}

/** What a caller turn would meet: the passages retrieved, and whether it is answered, declined or guarded, and why. */
export interface QuestionExplained {
  verdict: 'answered' | 'declined' | 'guarded';
  /** One sentence a person reads. */
  why: string;
  hits: Awaited<ReturnType<typeof groundTurn>>['retrieval']['hits'];
  decision: { declined: boolean; reason: string; coverage: number; similarity?: number; unknown: string[]; guarded: string | null; guardedBy?: 'words' | 'meaning'; guardSimilarity?: number; guardExample?: string };
}

/** What `parley knowledge explain` shows for a caller turn, from the agent's indexed documents in `store`. */
export async function explainQuestion(agent: Agent, store: Store, query: string, o: { after?: string[]; limit?: number; log?: (line: string) => void } = {}): Promise<QuestionExplained> {
  const { knowledge } = agent.config;
  const language = knownLanguage(agent.config.persona.language);
  const { embedder, warning } = agentEmbedder(agent);
  if (warning) o.log?.(warning);
  const g = await groundTurn(store, agent.name, query, {
    previous: o.after,
    topK: o.limit ?? knowledge.topK,
    vocabulary: vocabularyOf(knowledge.synonyms, language),
    strict: knowledge.strict,
    embedder,
    minSimilarity: knowledge.embeddings?.minSimilarity,
    embedTimeoutMs: knowledge.embeddings?.timeoutMs,
    toolTopics: agent.config.tools.flatMap((t) => (t.type === 'webhook' ? [`${t.name.replace(/[_-]/g, ' ')} ${t.description}`] : [])),
  });
  const { match, note } = await guardOf(query, agent.config.guardrails, language, g.retrieval.vector, embedder);
  if (note) o.log?.(note);
  const guarded = match?.topic;
  const decision = {
    declined: g.declined,
    reason: g.reason,
    coverage: g.retrieval.coverage,
    similarity: g.retrieval.similarity,
    unknown: g.retrieval.unknown,
    guarded: guarded?.topic ?? null,
    ...(match ? { guardedBy: match.by } : {}),
    ...(match?.by === 'meaning' ? { guardSimilarity: match.similarity, guardExample: match.example } : {}),
  };
  const how = match?.by === 'meaning' ? `recognised by meaning: similarity ${match.similarity.toFixed(2)} to "${match.example}", at least ${match.topic.minSimilarity} needed` : 'recognised by its words';
  const [verdict, why]: [QuestionExplained['verdict'], string] = guarded
    ? ['guarded', `GUARDED topic "${guarded.topic}" (${how}): the agent says "${guarded.say}" and the model is not asked`]
    : !knowledge.strict
      ? ['answered', 'knowledge.strict is off: every turn goes to the model']
      : g.declined
        ? ['declined', `a strict agent DECLINES this in code (${g.reason}) and says knowledge.unknownAnswer`]
        : ['answered', `goes to the model with these passages (${g.reason}); it must answer from them or say knowledge.unknownAnswer`];
  return { verdict, why, hits: g.retrieval.hits, decision };
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
