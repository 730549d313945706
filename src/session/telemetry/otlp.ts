import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { otlpTarget } from './config.ts';

// Traces leave through the OpenTelemetry SDK and its OTLP/HTTP exporter (JSON), so any
// collector, Jaeger, Tempo, Honeycomb or Langfuse takes them. This module (and the SDK) is
// loaded only when an endpoint is set (see sink.ts).

const providers = new Map<string, TracerProvider>();

/** The tracer for this environment's endpoint (one provider per endpoint per process), or undefined when tracing is off. */
export function tracerFor(env: NodeJS.ProcessEnv): Tracer | undefined {
  const target = otlpTarget(env);
  if (!target) return undefined;
  const key = JSON.stringify([target, env.OTEL_SERVICE_NAME]);
  let provider = providers.get(key);
  if (!provider) {
    const exporter = new OTLPTraceExporter({ url: target.url, headers: target.headers });
    provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || 'parley', 'service.version': '0.1.0' }),
      spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: 2000 })],
    });
    providers.set(key, provider);
  }
  return provider.getTracer('parley', '0.1.0');
}

/** Sends every finished span now (tests, before a CLI command exits). */
export async function flushTraces(): Promise<void> {
  await Promise.all([...providers.values()].map((p) => p.forceFlush()));
}

/** Flushes and stops every exporter (server shutdown). */
export async function shutdownTraces(): Promise<void> {
  const all = [...providers.values()];
  providers.clear();
  await Promise.all(all.map((p) => p.shutdown().catch(() => {})));
}
