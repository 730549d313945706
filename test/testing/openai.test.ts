import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { APICallError, generateText, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';
import { startFakeOpenAI } from '../../src/testing/index.ts';
import type { ChatRequest, FakeOpenAI } from '../../src/testing/index.ts';

let fake: FakeOpenAI;
before(async () => {
  fake = await startFakeOpenAI();
});
after(() => fake.close());
beforeEach(() => {
  assert.equal(fake.pending(), 0, 'previous test left scripted steps unconsumed');
  fake.requests.length = 0;
});

const compatible = () => createOpenAICompatible({ name: 'fake', baseURL: fake.url, apiKey: 'test', includeUsage: true })('fake-model');
const openai = () => createOpenAI({ baseURL: fake.url, apiKey: 'test' }).chat('gpt-4.1-mini');

/** A booking tool whose calls the test can inspect. */
function bookingTool(calls: unknown[]) {
  return tool({
    description: 'Book a table',
    inputSchema: z.object({ day: z.string(), partySize: z.number(), notes: z.array(z.string()) }),
    execute: async (input) => {
      calls.push(input);
      return { confirmation: 'BK-42', day: input.day };
    },
  });
}

const bookingArgs = { day: 'Friday — 19:30 🍷', partySize: 4, notes: ['window seat', 'birthday "surprise"'] };

/** Second turn: answer from the tool result the model was sent back. */
function replyFromToolResult(request: ChatRequest) {
  const result = request.messages.findLast((m) => m.role === 'tool');
  assert.ok(result, 'the follow-up request carries a tool message');
  const { confirmation } = JSON.parse(String(result.content)) as { confirmation: string };
  return { text: `You're booked, reference ${confirmation}.` };
}

describe('fake OpenAI server through the AI SDK', () => {
  it('streams text as several deltas and records the system prompt', async () => {
    const text = 'Hello there! How can I help you book a table today?';
    fake.push({ text, tokenDelayMs: 1 });
    const result = streamText({ model: compatible(), instructions: 'You are a host.', prompt: 'Hi' });
    const deltas: string[] = [];
    for await (const part of result.stream) if (part.type === 'text-delta') deltas.push(part.text);
    assert.ok(deltas.length > 3, `expected many deltas, got ${deltas.length}`);
    assert.equal(deltas.join(''), text);
    assert.equal((await result.finalStep).finishReason, 'stop');
    assert.ok((await result.usage).outputTokens! > 0, 'usage chunk was parsed');

    const [request] = fake.requests;
    assert.equal(request.stream, true);
    assert.equal(request.model, 'fake-model');
    assert.deepEqual(request.messages[0], { role: 'system', content: 'You are a host.' });
    assert.deepEqual(request.messages.at(-1), { role: 'user', content: 'Hi' });
  });

  it('runs a streamed tool call with the exact args, then answers from the tool result', async () => {
    const calls: unknown[] = [];
    fake.push({ toolCalls: [{ name: 'book', args: bookingArgs, id: 'call_1' }] }, replyFromToolResult);
    const result = streamText({
      model: compatible(),
      instructions: 'Book tables.',
      prompt: 'Book Friday for 4',
      tools: { book: bookingTool(calls) },
      stopWhen: stepCountIs(3),
    });
    const seen: string[] = [];
    for await (const part of result.stream) {
      if (part.type === 'tool-call') {
        seen.push(`call:${part.toolName}`);
        assert.deepEqual(part.input, bookingArgs);
        assert.equal(part.toolCallId, 'call_1');
      }
      if (part.type === 'tool-result') seen.push(`result:${JSON.stringify(part.output)}`);
    }
    assert.deepEqual(calls, [bookingArgs]);
    assert.deepEqual(seen, ['call:book', 'result:{"confirmation":"BK-42","day":"Friday — 19:30 🍷"}']);
    assert.equal(await result.text, "You're booked, reference BK-42.");
    assert.equal(fake.requests.length, 2);

    const [first, second] = fake.requests;
    assert.equal(first.messages[0].role, 'system');
    assert.equal(first.messages[0].content, 'Book tables.');
    assert.equal(first.tools?.[0].function.name, 'book');
    assert.equal(first.tools?.[0].function.description, 'Book a table');
    assert.deepEqual(Object.keys((first.tools?.[0].function.parameters as { properties: object }).properties), ['day', 'partySize', 'notes']);
    const assistant = second.messages.find((m) => m.role === 'assistant');
    assert.equal(assistant?.tool_calls?.[0].id, 'call_1');
    assert.deepEqual(JSON.parse(assistant!.tool_calls![0].function.arguments), bookingArgs);
    assert.equal(second.messages.at(-1)?.tool_call_id, 'call_1');
  });

  it('serves non-streamed completions to @ai-sdk/openai generateText, tool loop included', async () => {
    const calls: unknown[] = [];
    fake.push({ toolCalls: [{ name: 'book', args: bookingArgs }] }, replyFromToolResult);
    const result = await generateText({
      model: openai(),
      instructions: 'Book tables.',
      prompt: 'Book Friday for 4',
      tools: { book: bookingTool(calls) },
      stopWhen: stepCountIs(3),
    });
    assert.deepEqual(calls, [bookingArgs]);
    assert.equal(result.text, "You're booked, reference BK-42.");
    assert.equal(result.steps.length, 2);
    assert.ok(result.totalUsage.inputTokens! > 0);
    assert.equal(fake.requests[0].model, 'gpt-4.1-mini');
    assert.notEqual(fake.requests[0].stream, true);
  });

  it('streams to @ai-sdk/openai, which requests include_usage', async () => {
    fake.push({ text: 'Streaming via the official provider.' });
    const result = streamText({ model: openai(), prompt: 'Hi' });
    const deltas: string[] = [];
    for await (const delta of result.textStream) deltas.push(delta);
    assert.ok(deltas.length > 1);
    assert.equal(deltas.join(''), 'Streaming via the official provider.');
    assert.deepEqual(fake.requests[0].stream_options, { include_usage: true });
    assert.ok((await result.usage).totalTokens! > 0);
  });

  it('fails loudly in the SDK when no scripted step is left', async () => {
    await assert.rejects(
      generateText({ model: compatible(), prompt: 'Hi', maxRetries: 0 }),
      (err: unknown) => APICallError.isInstance(err) && err.statusCode === 500 && /no scripted step left/.test(err.message),
    );
    assert.equal(fake.requests.length, 1, 'the unscripted request is still recorded');
  });

  it('propagates a scripted error status', async () => {
    fake.push({ error: { status: 429, message: 'Rate limit reached' } });
    const errors: unknown[] = [];
    const result = streamText({ model: openai(), prompt: 'Hi', maxRetries: 0, onError: ({ error }) => void errors.push(error) });
    await result.consumeStream();
    assert.equal(errors.length, 1);
    const [error] = errors;
    assert.ok(APICallError.isInstance(error), `expected APICallError, got ${error}`);
    assert.equal(error.statusCode, 429);
    assert.match(error.message, /Rate limit reached/);
  });

  it('lets the client abort mid-stream and still closes promptly', async () => {
    fake.push({ text: 'one two three four five six seven eight', delayMs: 5, tokenDelayMs: 20 });
    const controller = new AbortController();
    const result = streamText({ model: compatible(), prompt: 'Hi', abortSignal: controller.signal });
    const deltas: string[] = [];
    for await (const part of result.stream) {
      if (part.type === 'text-delta') deltas.push(part.text);
      if (deltas.length === 2) controller.abort();
    }
    assert.ok(deltas.length < 8, 'stream stopped early');
  });
});

describe('fake OpenAI wire format', () => {
  it('emits OpenAI-shaped SSE chunks, usage and [DONE]', async () => {
    fake.push({ text: 'Hi you', toolCalls: [{ name: 'f', args: { a: 1 }, id: 'call_x' }] });
    const response = await fetch(`${fake.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [], stream: true, stream_options: { include_usage: true } }),
    });
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const events = (await response.text()).split('\n\n').filter(Boolean);
    assert.equal(events.at(-1), 'data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.replace(/^data: /, '')));
    assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'm' && c.id === chunks[0].id));
    assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: '', refusal: null });
    assert.deepEqual(chunks.slice(1, 3).map((c) => c.choices[0].delta.content), ['Hi', ' you']);
    assert.deepEqual(chunks[3].choices[0].delta.tool_calls, [{ index: 0, id: 'call_x', type: 'function', function: { name: 'f', arguments: '' } }]);
    const args = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls?.map((t: { function: { arguments: string } }) => t.function.arguments) ?? []);
    assert.equal(args.join(''), '{"a":1}');
    assert.equal(chunks.at(-2).choices[0].finish_reason, 'tool_calls');
    assert.deepEqual(chunks.at(-1).choices, []);
    assert.equal(chunks.at(-1).usage.total_tokens, chunks.at(-1).usage.prompt_tokens + chunks.at(-1).usage.completion_tokens);
  });

  it('answers the empty queue with an OpenAI error body, and lists models', async () => {
    const response = await fetch(`${fake.url}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'seen-model', messages: [] }) });
    assert.equal(response.status, 500);
    const body = (await response.json()) as { error: { message: string; type: string } };
    assert.equal(body.error.message, 'fake-openai: no scripted step left for this request');
    assert.equal(body.error.type, 'server_error');
    const models = (await (await fetch(`${fake.url}/models`)).json()) as { object: string; data: { id: string }[] };
    assert.equal(models.object, 'list');
    assert.ok(models.data.some((m) => m.id === 'seen-model'));
  });
});
