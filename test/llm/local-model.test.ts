import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isStepCount, streamText, tool } from 'ai';
import { z } from 'zod';
import { loadAgent } from '../../src/agent/load.ts';
import { agentModels } from '../../src/llm/agent-models.ts';
import { closeLlamaRuntimes, gbnfSchema, openLlamaRuntime } from '../../src/llm/llama-runtime.ts';
import { LocalLanguageModel, localMessages } from '../../src/llm/local-language-model.ts';
import { openLocalModel } from '../../src/llm/local-model.ts';
import { LocalModelError } from '../../src/llm/local-models.ts';
import type { LocalEvent, LocalGeneration, LocalRuntime } from '../../src/llm/local-runtime.ts';
import { writeTinyGguf } from '../../src/testing/tiny-gguf.ts';
import { tempDir } from '../helpers/cli.ts';

// The embedded model in two halves. The AI SDK adapter against a runtime that plays events (tool
// calls included: a random model never makes one), then node-llama-cpp itself on a tiny random
// GGUF the test writes: it loads, streams, stops when aborted, and reads tool results back.

/** Plays one list of events per call and keeps every request. */
class PlayedRuntime implements LocalRuntime {
  readonly modelId = 'played';
  readonly requests: LocalGeneration[] = [];
  readonly replies: LocalEvent[][];
  constructor(replies: LocalEvent[][]) {
    this.replies = replies;
  }
  async *generate(r: LocalGeneration): AsyncIterable<LocalEvent> {
    const reply = this.replies[this.requests.length] ?? [];
    this.requests.push(r);
    for (const e of reply) {
      await new Promise((res) => setImmediate(res));
      if (r.signal.aborted) throw r.signal.reason;
      yield e;
    }
  }
}

describe('LocalLanguageModel (the AI SDK adapter)', () => {
  it('runs the SDK tool loop: a tool call, the tool result fed back, then streamed text with usage', async () => {
    const runtime = new PlayedRuntime([
      [{ type: 'tool-call', name: 'check_availability', args: { when: 'tomorrow' } }, { type: 'done', inputTokens: 50, outputTokens: 9, stop: 'stop' }],
      [{ type: 'text', text: 'Tomorrow at ' }, { type: 'text', text: '3 pm is free.' }, { type: 'done', inputTokens: 80, outputTokens: 7, stop: 'stop' }],
    ]);
    const result = streamText({
      model: new LocalLanguageModel(runtime),
      instructions: 'You book calls.',
      messages: [{ role: 'user', content: 'Anything tomorrow?' }],
      tools: { check_availability: tool({ description: 'free slots', inputSchema: z.object({ when: z.string() }), execute: async ({ when }) => ({ slots: [`${when} 15:00`] }) }) },
      stopWhen: isStepCount(3),
    });
    let text = '';
    for await (const part of result.stream) if (part.type === 'text-delta') text += part.text;
    assert.equal(text, 'Tomorrow at 3 pm is free.');
    assert.equal((await result.usage).inputTokens, 130);
    assert.equal(runtime.requests.length, 2);
    assert.deepEqual(runtime.requests[0]!.tools.map((t) => t.name), ['check_availability']);
    const second = runtime.requests[1]!.messages;
    assert.deepEqual(second[0], { role: 'system', text: 'You book calls.' });
    assert.deepEqual(second.at(-1), { role: 'assistant', text: '', toolCalls: [{ name: 'check_availability', args: { when: 'tomorrow' }, result: { slots: ['tomorrow 15:00'] } }] });
  });

  it('passes the abort on to the runtime (barge-in)', async () => {
    const runtime = new PlayedRuntime([[...Array.from({ length: 50 }, (): LocalEvent => ({ type: 'text', text: 'word ' })), { type: 'done', inputTokens: 1, outputTokens: 50, stop: 'stop' }]]);
    const ac = new AbortController();
    const result = streamText({ model: new LocalLanguageModel(runtime), messages: [{ role: 'user', content: 'talk' }], abortSignal: ac.signal, onError: () => {} });
    let words = 0;
    for await (const part of result.stream) {
      if (part.type === 'text-delta' && ++words === 3) ac.abort();
    }
    assert.ok(words < 10, `stopped after ${words} words`);
    assert.equal(runtime.requests[0]!.signal.aborted, true);
  });

  it('pairs each tool result with its call by id', () => {
    const messages = localMessages([
      { role: 'user', content: [{ type: 'text', text: 'hi' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Let me look.' }, { type: 'tool-call', toolCallId: 'a', toolName: 'x', input: { n: 1 } }, { type: 'tool-call', toolCallId: 'b', toolName: 'y', input: {} }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'b', toolName: 'y', output: { type: 'json', value: 2 } }, { type: 'tool-result', toolCallId: 'a', toolName: 'x', output: { type: 'text', value: 'one' } }] },
    ]);
    assert.deepEqual(messages[1], { role: 'assistant', text: 'Let me look.', toolCalls: [{ name: 'x', args: { n: 1 }, result: 'one' }, { name: 'y', args: {}, result: 2 }] });
  });

  it('keeps only the JSON Schema keywords the grammar understands', () => {
    assert.deepEqual(gbnfSchema({ $schema: 'x', type: 'object', properties: { a: { anyOf: [{ type: 'string' }, { type: 'null' }], default: 'q' } }, required: ['a'], additionalProperties: false }), {
      type: 'object',
      properties: { a: { oneOf: [{ type: 'string' }, { type: 'null' }] } },
      required: ['a'],
      additionalProperties: false,
    });
  });
});

describe('node-llama-cpp on a tiny GGUF written by the test', () => {
  const dir = tempDir();
  const file = join(dir, 'tiny.gguf');
  const bytes = writeTinyGguf(file);
  after(closeLlamaRuntimes);

  it('writes a model of a few hundred KB', () => {
    assert.ok(bytes > 100_000 && bytes < 1_000_000, `${bytes} bytes`);
  });

  it('loads once per process and streams text with usage', async () => {
    const a = openLlamaRuntime(file, 'tiny', { contextSize: 2048, sequences: 1, threads: 1 });
    assert.equal(openLlamaRuntime(file, 'tiny'), a, 'the same load is shared');
    const runtime = await a;
    const events: LocalEvent[] = [];
    for await (const e of runtime.generate({ messages: [{ role: 'system', text: 'You help.' }, { role: 'user', text: 'hello' }], tools: [], temperature: 0, maxTokens: 8, signal: AbortSignal.timeout(30_000) })) events.push(e);
    const done = events.at(-1);
    assert.equal(done?.type, 'done');
    assert.ok(done.type === 'done' && done.outputTokens === 8 && done.inputTokens > 0 && done.stop === 'length', JSON.stringify(done));
    assert.ok(events.filter((e) => e.type === 'text').length > 0);
  });

  it('generations beyond the sequences wait their turn, and all finish', async () => {
    const runtime = await openLlamaRuntime(file, 'tiny');
    const one = async () => {
      let n = 0;
      for await (const e of runtime.generate({ messages: [{ role: 'user', text: 'hi' }], tools: [], temperature: 0, maxTokens: 4, signal: AbortSignal.timeout(30_000) })) if (e.type === 'done') n = e.outputTokens;
      return n;
    };
    assert.deepEqual(await Promise.all([one(), one(), one()]), [4, 4, 4]);
  });

  it('stops when aborted, and the next generation still runs', async () => {
    const runtime = await openLlamaRuntime(file, 'tiny');
    const ac = new AbortController();
    let chunks = 0;
    await assert.rejects(async () => {
      for await (const e of runtime.generate({ messages: [{ role: 'user', text: 'talk' }], tools: [], temperature: 0, maxTokens: 400, signal: ac.signal })) {
        if (e.type === 'text' && ++chunks === 2) ac.abort(new Error('barge-in'));
      }
    }, /barge-in/);
    assert.ok(chunks < 50, `${chunks} chunks after the abort`);
    let done = false;
    for await (const e of runtime.generate({ messages: [{ role: 'user', text: 'again' }], tools: [], temperature: 0, maxTokens: 2, signal: AbortSignal.timeout(30_000) })) done ||= e.type === 'done';
    assert.ok(done);
  });

  it('reads a history with tool calls and their results, offering tools through the grammar', async () => {
    const model = await openLocalModel(file, { env: {}, signal: AbortSignal.timeout(30_000) });
    const result = streamText({
      model,
      instructions: 'You book calls.',
      messages: [
        { role: 'user', content: 'Anything tomorrow?' },
        { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c1', toolName: 'check_availability', input: { when: 'tomorrow' } }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'check_availability', output: { type: 'json', value: { slots: ['15:00'] } } }] },
      ],
      tools: { check_availability: tool({ description: 'free slots', inputSchema: z.object({ when: z.string() }), execute: async () => ({ slots: [] }) }) },
      maxOutputTokens: 6,
      temperature: 0,
    });
    for await (const part of result.stream) if (part.type === 'error') throw part.error;
    assert.ok((await result.usage).outputTokens! > 0);
  });

  it('a local fallback is opened when its file is there, and skipped (with a line saying so) when it is not', async () => {
    const agentDir = tempDir();
    writeFileSync(join(agentDir, 'agent.yaml'), `persona: { prompt: p, firstMessage: hi }\nbrain:\n  llm: openai:gpt-4.1-mini\n  fallback: [local:${file}, local:${join(dir, 'absent.gguf')}]\n`);
    const agent = await loadAgent(agentDir);
    const lines: string[] = [];
    const r = await agentModels(agent, { OPENAI_API_KEY: 'k' }, { log: (l) => lines.push(l) });
    assert.equal(r.models.length, 2);
    assert.equal((r.models[1] as LocalLanguageModel).modelId, 'tiny');
    assert.deepEqual(lines, [`model: fallback local:${join(dir, 'absent.gguf')} is not downloaded, skipped (run \`parley models pull local:${join(dir, 'absent.gguf')}\`)`]);
  });

  it('makes a real tool call: the grammar fills a valid call, the SDK runs the tool and feeds the result back', async () => {
    // This model's weights always begin a call (" ||call: "); node-llama-cpp's grammar does the rest.
    const calling = join(dir, 'calls-tools.gguf');
    writeTinyGguf(calling, { callsTools: true });
    await openLlamaRuntime(calling, 'tiny-calls', { contextSize: 2048, sequences: 1, threads: 1 });
    const model = await openLocalModel(calling, { env: {}, signal: AbortSignal.timeout(60_000) });
    const asked: unknown[] = [];
    const result = streamText({
      model,
      instructions: 'You book calls.',
      messages: [{ role: 'user', content: 'Anything tomorrow?' }],
      tools: { check_availability: tool({ description: 'free slots', inputSchema: z.object({ when: z.enum(['today', 'tomorrow']) }), execute: async (args) => (asked.push(args), { slots: ['15:00'] }) }) },
      stopWhen: isStepCount(2),
      maxOutputTokens: 200,
      temperature: 0,
    });
    const calls: string[] = [];
    for await (const part of result.stream) {
      if (part.type === 'error') throw part.error;
      if (part.type === 'tool-call') calls.push(part.toolName);
    }
    assert.deepEqual(calls, ['check_availability', 'check_availability'], 'a call in each step, the second after reading the first result');
    assert.equal(asked.length, 2);
    for (const a of asked) assert.ok(['today', 'tomorrow'].includes((a as { when: string }).when), JSON.stringify(a));
  });

  it('a file that is not a model fails with a message naming it', async () => {
    const bad = join(dir, 'bad.gguf');
    writeFileSync(bad, 'not a model');
    await assert.rejects(openLocalModel(bad, { env: {}, signal: AbortSignal.timeout(30_000) }), (e) => e instanceof LocalModelError && e.message.startsWith(`could not load local:${bad} from ${bad}:`));
    await assert.rejects(openLocalModel(join(dir, 'missing.gguf'), { env: {}, signal: AbortSignal.timeout(30_000) }), (e) => e instanceof LocalModelError && /local model file not found/.test(e.message));
  });
});
