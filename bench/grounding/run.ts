// Grounding benchmark: callers' own words against three businesses' documents. For every
// question in questions.yaml it runs what a strict agent runs on a caller turn — retrieval and
// the decision whether the documents answer it — and reports how often the answering passage
// reaches the model, how often an answerable question is declined, how often a question the
// documents cannot answer is declined, and the time retrieval and the decision add per turn.
// Run: npm run bench:grounding   (options: --base NAME, --verbose to list every miss, --json,
//      --embeddings provider:model  hybrid retrieval with that embedding model (its key from the env),
//      --llm provider:model         also ask that reply model every question code did not decline, as the
//                                   agent would, and count the ones it declined with the not-in-documents marker
//      --llm-url URL                that model's server, for OpenAI-compatible ones (vLLM, llama.cpp, a proxy))
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { ingestKnowledge } from '../../src/knowledge/ingest.ts';
import { openStore } from '../../src/store/store.ts';
import { vocabulary } from '../../src/knowledge/vocabulary.ts';
import { groundTurn } from '../../src/session/grounding.ts';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { embedderFor } from '../../src/llm/embedder.ts';
import { resolveModel } from '../../src/llm/model.ts';
import { Conversation } from '../../src/session/conversation.ts';
import type { Store } from '../../src/store/store.ts';

const { values } = parseArgs({
  options: { base: { type: 'string' }, verbose: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, embeddings: { type: 'string' }, llm: { type: 'string' }, 'llm-url': { type: 'string' } },
});
const embedder = values.embeddings ? embedderFor({ model: values.embeddings }) : undefined;
const example = await loadAgent(join(import.meta.dirname, '..', '..', 'examples', 'sales-booking'));
// The studio is the example agent: its own knowledge.synonyms apply; the other bases have none.
const VOCABULARY: Record<string, ReturnType<typeof vocabulary>> = { studio: vocabulary(example.config.knowledge.synonyms), dental: vocabulary(), software: vocabulary() };
const models = values.llm ? [resolveModel({ spec: values.llm, baseURL: values['llm-url'] })] : undefined;

const HERE = import.meta.dirname;
const ROOT = join(HERE, '..', '..');
const BASES: Record<string, string> = {
  studio: join(ROOT, 'examples', 'sales-booking', 'knowledge'),
  dental: join(HERE, 'bases', 'dental'),
  software: join(HERE, 'bases', 'software'),
};
const TOP_K = 4; // the agent file's default knowledge.topK


interface Passage {
  source: string;
  contains: string;
}
interface Question {
  base: string;
  q: string;
  after?: string | string[];
  answers?: Passage[] | 'none';
  kind?: 'chat';
}
type Kind = 'answerable' | 'none' | 'chat';
const kindOf = (q: Question): Kind => (q.kind === 'chat' ? 'chat' : q.answers === 'none' ? 'none' : 'answerable');

const normal = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

const questions = (parse(readFileSync(join(HERE, 'questions.yaml'), 'utf8')) as Question[]).filter((q) => !values.base || q.base === values.base);
const work = mkdtempSync(join(tmpdir(), 'parley-bench-grounding-'));

interface Tally {
  answerable: number;
  reached: number;
  falseDeclines: number;
  none: number;
  noneDeclined: number;
  chat: number;
  chatDeclined: number;
  /** Declined by the reply model (--llm), on top of code: answerable ones and not-in-documents ones. */
  modelFalseDeclines: number;
  modelNoneDeclined: number;
  ms: number[];
  embedMs: number[];
}
const tally = (): Tally => ({ answerable: 0, reached: 0, falseDeclines: 0, none: 0, noneDeclined: 0, chat: 0, chatDeclined: 0, modelFalseDeclines: 0, modelNoneDeclined: 0, ms: [], embedMs: [] });
const perBase = new Map<string, Tally>();
const misses: string[] = [];

try {
  const store = await openStore(`file:${join(work, 'parley.db')}`);
  for (const [base, dir] of Object.entries(BASES)) {
    if (values.base && values.base !== base) continue;
    const report = await ingestKnowledge(store, { agent: base, dir, sources: ['.'] }, { embedder });
    if (report.embeddings && 'error' in report.embeddings) throw new Error(`${base}: embedding failed: ${report.embeddings.error}`);
    if (report.failed.length) throw new Error(`${base}: ${report.failed.map((f) => `${f.source}: ${f.message}`).join('; ')}`);
  }
  for (const q of questions) {
    const t = perBase.get(q.base) ?? tally();
    perBase.set(q.base, t);
    const previous = q.after === undefined ? [] : Array.isArray(q.after) ? q.after : [q.after];
    const t0 = performance.now();
    const turn = await groundTurn(store, q.base, q.q, { previous, topK: TOP_K, vocabulary: VOCABULARY[q.base], strict: true, embedder, embedTimeoutMs: 5000 });
    const hits = turn.retrieval.hits;
    t.ms.push(performance.now() - t0 - (turn.retrieval.embedMs ?? 0));
    if (turn.retrieval.embedMs !== undefined) t.embedMs.push(turn.retrieval.embedMs);
    const kind0 = kindOf(q);
    if (models && !turn.declined && kind0 !== 'chat') {
      const byModel = await modelDeclines(store, q.base, previous, q.q);
      if (byModel && kind0 === 'none') t.modelNoneDeclined++;
      if (byModel && kind0 === 'answerable') {
        t.modelFalseDeclines++;
        misses.push(`model declined    [${q.base}] ${q.q}`);
      }
    }
    const kind = kind0;
    const label = `[${q.base}] ${q.q}${previous.length ? ` (after: ${previous.join(' / ')})` : ''}`;
    if (kind === 'chat') {
      t.chat++;
      if (turn.declined) {
        t.chatDeclined++;
        misses.push(`chat declined     ${label}`);
      }
    } else if (kind === 'none') {
      t.none++;
      if (turn.declined) t.noneDeclined++;
      else misses.push(`not declined      ${label}  → ${hits.map((h) => `${h.source}#${h.heading}`).join(', ') || 'nothing'}`);
    } else {
      t.answerable++;
      const answers = q.answers as Passage[];
      const reached = hits.some((h) => answers.some((a) => h.source.endsWith(a.source) && normal(`${h.heading} ${h.text}`).includes(normal(a.contains))));
      if (reached) t.reached++;
      else misses.push(`passage missed    ${label}  → ${hits.map((h) => `${h.source}#${h.heading}`).join(', ') || 'nothing'}`);
      if (turn.declined) {
        t.falseDeclines++;
        misses.push(`false decline     ${label}${turn.reason ? `  (${turn.reason})` : ''}`);
      }
    }
  }
  await store.close();
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** Asks the reply model as the agent would (earlier turns first); whether it answered with the unknown-answer line. */
async function modelDeclines(store: Store, base: string, previous: string[], question: string): Promise<boolean> {
  const agent: Agent = { ...example, name: base, prompt: 'You are the voice assistant of a small business. Answer callers briefly from its documents.' };
  const c = new Conversation({ agent, store, models: models!, embedder });
  await c.start();
  let last = '';
  for (const line of [...previous, question]) {
    last = '';
    for await (const out of c.reply(line)) if (out.type === 'text') last += out.text;
  }
  await c.end('caller hung up');
  return last.trim() === agent.config.knowledge.unknownAnswer;
}

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)} %` : '–');
const quantile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : 0;
};
const all = tally();
for (const t of perBase.values()) for (const k of Object.keys(all) as (keyof Tally)[]) (all as any)[k] = Array.isArray(all[k]) ? [...(all[k] as number[]), ...(t[k] as number[])] : (all[k] as number) + (t[k] as number);
const rows = [...perBase.entries(), ['overall', all] as const];
console.log(`grounding bench — ${questions.length} questions, top ${TOP_K}, ${cpus()[0]?.model ?? 'cpu'}, Node ${process.versions.node}`);
const mode = `${embedder ? `hybrid (${embedder.label})` : 'lexical'}${models ? `, reply model ${values.llm}` : ''}`;
console.log(`retrieval: ${mode}`);
console.log(['base', 'answerable', 'passage reached', 'false declines (code)', 'not in docs', 'declined (code)', ...(models ? ['false declines (+model)', 'declined (+model)'] : []), 'chat declined', 'ms p50 / p90', ...(embedder ? ['embed ms p50'] : [])].join(' | '));
for (const [name, t] of rows) {
  console.log(
    [
      name,
      t.answerable,
      pct(t.reached, t.answerable),
      pct(t.falseDeclines, t.answerable),
      t.none,
      pct(t.noneDeclined, t.none),
      ...(models ? [pct(t.falseDeclines + t.modelFalseDeclines, t.answerable), pct(t.noneDeclined + t.modelNoneDeclined, t.none)] : []),
      `${t.chatDeclined}/${t.chat}`,
      `${quantile(t.ms, 0.5).toFixed(2)} / ${quantile(t.ms, 0.9).toFixed(2)}`,
      ...(embedder ? [quantile(t.embedMs, 0.5).toFixed(1)] : []),
    ].join(' | '),
  );
}
if (values.verbose) for (const m of misses) console.log(m);
if (values.json) {
  const result = Object.fromEntries(
    rows.map(([name, t]) => [name, { answerable: t.answerable, reached: t.reached, falseDeclines: t.falseDeclines, none: t.none, noneDeclined: t.noneDeclined, chat: t.chat, chatDeclined: t.chatDeclined, msP50: quantile(t.ms, 0.5) }]),
  );
  console.log(JSON.stringify(result));
}
