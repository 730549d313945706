import type { ConversationEvent } from '../events.ts';
import { otlpTarget } from './config.ts';

// The conversation's one door to tracing. Off (no endpoint), it is undefined and nothing of the
// OpenTelemetry SDK is loaded. On, the SDK is imported once per process, on the first
// conversation; that conversation's first events wait in a list until it has loaded.

type TraceModule = typeof import('./conversation-trace.ts');
type OtlpModule = typeof import('./otlp.ts');
let loading: Promise<[TraceModule, OtlpModule]> | undefined;

/** Receives a conversation's events for its trace, or undefined when tracing is off. */
export function conversationTraceSink(conversationId: string, env: NodeJS.ProcessEnv): ((e: ConversationEvent) => void) | undefined {
  if (!otlpTarget(env)) return undefined;
  loading ??= Promise.all([import('./conversation-trace.ts'), import('./otlp.ts')]);
  let trace: { on(e: ConversationEvent): void } | undefined;
  let early: ConversationEvent[] | undefined = [];
  loading.then(
    ([m]) => {
      trace = m.conversationTrace(conversationId, env);
      for (const e of early ?? []) trace?.on(e);
      early = undefined;
    },
    (e: unknown) => {
      early = undefined;
      console.error('parley: tracing is off, the OpenTelemetry SDK could not be loaded:', e instanceof Error ? e.message : e);
    },
  );
  return (e) => {
    if (trace) trace.on(e);
    else early?.push(e);
  };
}

/** Sends every finished span now (tests, the end of a CLI command); nothing when tracing never started. */
export async function flushTraces(): Promise<void> {
  if (loading) await (await loading)[1].flushTraces();
}

/** Flushes and stops the exporters (server shutdown); nothing when tracing never started. */
export async function shutdownTraces(): Promise<void> {
  if (loading) await (await loading)[1].shutdownTraces();
}
