import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadAgent, type Agent } from '../../src/agent/load.ts';
import { Conversation } from '../../src/session/conversation.ts';
import { otlpTarget } from '../../src/session/telemetry/config.ts';
import { flushTraces, shutdownTraces } from '../../src/session/telemetry/sink.ts';
import { VoiceSession } from '../../src/session/voice/voice-session.ts';
import type { Store } from '../../src/store/store.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/testing/index.ts';
import { MemoryChannel, ScriptedStt, ScriptedVad, TimedTts } from '../../src/testing/voice.ts';
import { ingestKnowledge } from '../../src/knowledge/index.ts';
import { EXAMPLE } from '../helpers/cli.ts';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../helpers/otlp-receiver.ts';
import { openTestStore } from '../helpers/store.ts';

// Conversations exported as OpenTelemetry traces through the real SDK and OTLP/HTTP exporter,
// received by a plain HTTP server standing in for a collector.

const TURN = { minEndpointingDelayMs: 30, maxEndpointingDelayMs: 200, minInterruptionMs: 60, minInterruptionWords: 1, backchannels: [], falseInterruptionTimeoutMs: 150 };
const FRAME = new Int16Array(320);

describe('OpenTelemetry traces of conversations', () => {
  let store: Store;
  let agent: Agent;
  let llm: FakeOpenAI;
  let otlp: OtlpReceiver;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    store = await openTestStore();
    const example = await loadAgent(EXAMPLE);
    agent = { ...example, config: { ...example.config, knowledge: { ...example.config.knowledge, strict: false }, persona: { ...example.config.persona, firstMessage: 'Hi, this is Ada.' } } };
    await ingestKnowledge(store, { agent: agent.name, dir: agent.dir, sources: agent.config.knowledge.sources });
    llm = await startFakeOpenAI();
    otlp = await startOtlpReceiver();
    env = { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Basic%20cGs6c2s=', OTEL_SERVICE_NAME: 'parley-test' };
  });
  after(async () => {
    await shutdownTraces();
    await otlp.close();
    await llm.close();
    await store.close();
  });

  const model = () => createOpenAICompatible({ name: 'openai', baseURL: llm.url, apiKey: 'k', includeUsage: true })('gpt-test');
  const traceOf = async (conversationId: string): Promise<ReceivedSpan[]> => {
    await flushTraces();
    const root = otlp.spans.find((s) => s.name === 'conversation' && s.attributes['parley.conversation.id'] === conversationId);
    assert.ok(root, 'the conversation span arrived');
    return otlp.spans.filter((s) => s.traceId === root.traceId);
  };
  const childrenOf = (spans: ReceivedSpan[], parent: ReceivedSpan) => spans.filter((s) => s.parentSpanId === parent.spanId).sort((a, b) => a.startMs - b.startMs);
  const within = (child: ReceivedSpan, parent: ReceivedSpan) => assert.ok(child.startMs >= parent.startMs && child.endMs <= parent.endMs && child.startMs <= child.endMs, `${child.name} [${child.startMs}, ${child.endMs}] lies within ${parent.name} [${parent.startMs}, ${parent.endMs}]`);

  it('reads the standard variables: the traces endpoint wins, headers are decoded; nothing set means off', () => {
    assert.equal(otlpTarget({}), null);
    assert.deepEqual(otlpTarget({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' }), { url: 'http://c:4318/v1/traces', headers: {} });
    assert.deepEqual(otlpTarget({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t/x', OTEL_EXPORTER_OTLP_HEADERS: 'a=1,b=x%20y' }), { url: 'http://t/x', headers: { a: '1', b: 'x y' } });
    assert.equal(otlpTarget({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }), null);
  });

  it('a text conversation: conversation → turns → knowledge search, model calls (GenAI attributes) and tool calls, with no transcript text', async () => {
    llm.push({ toolCalls: [{ name: 'search_knowledge', args: { query: 'audit price' } }] }, { text: 'The audit costs 2,400 euros.' });
    llm.push({ text: 'Happy to help.' });
    const c = new Conversation({ agent, store, models: [model()], channel: 'text', env });
    await c.start();
    for await (const _ of c.reply('How much is the automation audit?'));
    for await (const _ of c.reply('Thanks!'));
    await c.end('caller left');

    const spans = await traceOf(c.id);
    const root = spans.find((s) => s.name === 'conversation')!;
    assert.equal(root.parentSpanId, undefined);
    assert.equal(root.resource['service.name'], 'parley-test');
    assert.deepEqual([root.attributes['parley.agent'], root.attributes['parley.channel'], root.attributes['parley.outcome']], [agent.name, 'text', 'caller left']);
    const turns = childrenOf(spans, root);
    assert.deepEqual(turns.map((t) => t.name), ['turn', 'turn']);
    turns.forEach((t) => within(t, root));

    const first = childrenOf(spans, turns[0]!);
    assert.deepEqual(first.map((s) => s.name), ['knowledge.search', 'chat gpt-test', 'execute_tool search_knowledge', 'chat gpt-test']);
    first.forEach((s) => within(s, turns[0]!));
    const [search, chat1, tool, chat2] = first as [ReceivedSpan, ReceivedSpan, ReceivedSpan, ReceivedSpan];
    assert.ok(typeof search.attributes['parley.knowledge.search_ms'] === 'number' && search.attributes['parley.knowledge.declined'] === false);
    assert.equal(chat1.attributes['gen_ai.system'], 'openai');
    assert.equal(chat1.attributes['gen_ai.request.model'], 'gpt-test');
    assert.equal(typeof chat1.attributes['gen_ai.usage.input_tokens'], 'number');
    assert.equal(typeof chat1.attributes['gen_ai.usage.output_tokens'], 'number');
    assert.ok(chat1.endMs <= tool.startMs + 1 && tool.endMs <= chat2.startMs + 1, 'model, tool, model follow one another');
    assert.equal(tool.attributes['gen_ai.tool.name'], 'search_knowledge');

    const all = JSON.stringify(spans);
    assert.ok(!all.includes('automation audit') && !all.includes('2,400'), 'no transcript text by default');
    assert.equal(otlp.requests.at(-1)?.contentType, 'application/json');
    assert.equal(otlp.requests.at(-1)?.authorization, 'Basic cGs6c2s=', 'OTEL_EXPORTER_OTLP_HEADERS are sent');
    assert.equal(otlp.requests.at(-1)?.path, '/v1/traces');
  });

  it('PARLEY_OTEL_CONTENT=true adds the words of each turn', async () => {
    llm.push({ text: 'We build automations.' });
    const c = new Conversation({ agent, store, models: [model()], channel: 'text', env: { ...env, PARLEY_OTEL_CONTENT: 'true' } });
    await c.start();
    for await (const _ of c.reply('What do you do?'));
    await c.end('caller left');
    const turn = (await traceOf(c.id)).find((s) => s.name === 'turn')!;
    assert.equal(turn.attributes['parley.caller.text'], 'What do you do?');
    assert.equal(turn.attributes['parley.agent.text'], 'We build automations.');
  });

  it('a failing model marks its span and the turn as errors', async () => {
    llm.push({ error: { status: 500, message: 'boom' } });
    const c = new Conversation({ agent, store, models: [model()], channel: 'text', env });
    await c.start();
    for await (const _ of c.reply('What do you do?'));
    await c.end('caller left');
    const spans = await traceOf(c.id);
    const turn = spans.find((s) => s.name === 'turn')!;
    assert.equal(turn.status.code, 2);
    assert.ok(turn.events.some((e) => e.name === 'exception' && /^llm:/.test(String(e.attributes['parley.where']))));
  });

  it('a voice conversation: each turn starts at the end of speech and holds recognition, model and speech spans in order', async () => {
    const channel = new MemoryChannel();
    const stt = new ScriptedStt();
    const vad = new ScriptedVad();
    const conversation = new Conversation({ agent, store, models: [model()], channel: 'web', env });
    const voice = new VoiceSession({ conversation, channel, stt, tts: new TimedTts({ msPerChar: 2, firstAudioMs: 20 }), vad, resampler: () => (p) => p, voice: { speed: 1 }, language: 'en', turn: TURN, silenceReprompt: 30, silenceEnd: 60 });
    const running = voice.run(new AbortController().signal);
    const listening = (n: number) => channel.waitFor(((count) => (e) => e.type === 'state' && e.state === 'listening' && ++count >= n)(0));
    await listening(1);
    llm.push({ text: 'We build automations for small teams.' });
    vad.start();
    channel.pushCallerAudio(FRAME);
    stt.hear('What do you do?');
    vad.stop();
    channel.pushCallerAudio(FRAME);
    await listening(2);
    channel.hangUp();
    await running;

    const spans = await traceOf(conversation.id);
    const root = spans.find((s) => s.name === 'conversation')!;
    assert.equal(root.attributes['parley.channel'], 'web');
    const [turn] = childrenOf(spans, root);
    assert.ok(turn);
    const kids = childrenOf(spans, turn);
    assert.deepEqual(kids.map((s) => s.name), ['stt', 'knowledge.search', 'chat gpt-test', 'tts']);
    kids.forEach((s) => within(s, turn));
    const [stt_, , chat, tts] = kids as [ReceivedSpan, ReceivedSpan, ReceivedSpan, ReceivedSpan];
    assert.equal(stt_.startMs, turn.startMs, 'the turn starts when the caller stopped speaking');
    assert.ok(tts.startMs >= chat.startMs, 'speech starts after the model began');
    assert.equal(typeof tts.attributes['parley.tts.first_audio_ms'], 'number');
    assert.equal(typeof turn.attributes['parley.voice_to_voice_ms'], 'number');
  });
});
