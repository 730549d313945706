// Time to first token and tokens per second of the built-in local model (node-llama-cpp), as a
// caller's turn sees it through the AI SDK adapter: a system prompt like an agent's, one question.
//
//   node bench/local-model/run.ts                     # local:default, if it has been pulled
//   node bench/local-model/run.ts --model FILE.gguf   # any GGUF
//   node bench/local-model/run.ts --tiny              # the tests' tiny random model (checks the harness, not a real speed)
//   options: --runs 5 --max-tokens 64 --threads N --context 8192
import { streamText } from 'ai';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { closeLlamaRuntimes, openLlamaRuntime } from '../../src/llm/llama-runtime.ts';
import { LocalLanguageModel } from '../../src/llm/local-language-model.ts';
import { localModelFile } from '../../src/llm/local-models.ts';
import { writeTinyGguf } from '../../src/testing/tiny-gguf.ts';

const { values: o } = parseArgs({
  options: {
    model: { type: 'string' },
    tiny: { type: 'boolean', default: false },
    runs: { type: 'string', default: '5' },
    'max-tokens': { type: 'string', default: '64' },
    threads: { type: 'string' },
    context: { type: 'string', default: '8192' },
  },
});

let file = o.model ?? localModelFile('default', process.env);
if (o.tiny) {
  file = join(tmpdir(), 'parley-bench-tiny.gguf');
  writeTinyGguf(file);
}
if (!existsSync(file)) {
  console.log(`no model file at ${file}: nothing measured. Run \`parley models pull local:default\` (1.1 GB, needs internet) or pass --model FILE.gguf; --tiny checks the harness only.`);
  process.exit(0);
}

const started = performance.now();
const runtime = await openLlamaRuntime(file, 'bench', { contextSize: o.tiny ? 2048 : Number(o.context), sequences: 1, threads: o.threads ? Number(o.threads) : undefined });
const loadMs = performance.now() - started;
const model = new LocalLanguageModel(runtime);
const system = 'You are the voice assistant of Acme Automation. Answer in one or two short spoken sentences. Offer to book an intro call when the caller is interested.';
const rows: { ttftMs: number; tokens: number; tokPerSec: number }[] = [];
for (let i = 0; i < Number(o.runs); i++) {
  const t0 = performance.now();
  let first = 0;
  const r = streamText({ model, instructions: system, messages: [{ role: 'user', content: `What does the automation audit cost? (${i})` }], maxOutputTokens: Number(o['max-tokens']), temperature: 0.4 });
  for await (const part of r.stream) if (part.type === 'text-delta' && !first) first = performance.now();
  const end = performance.now();
  const tokens = (await r.usage).outputTokens ?? 0;
  rows.push({ ttftMs: Math.round((first || end) - t0), tokens, tokPerSec: Number((tokens / ((end - (first || t0)) / 1000)).toFixed(1)) });
}
await closeLlamaRuntimes();
console.table(rows);
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(JSON.stringify({ model: file, tiny: o.tiny, loadMs: Math.round(loadMs), ttftMsMedian: median(rows.map((r) => r.ttftMs)), tokPerSecMedian: median(rows.map((r) => r.tokPerSec)), runs: rows.length }));
