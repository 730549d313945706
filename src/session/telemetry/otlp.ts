import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

// Traces leave through the OpenTelemetry SDK and its OTLP/HTTP exporter (JSON), configured by
// the standard variables, so any collector, Jaeger, Tempo, Honeycomb or Langfuse takes them.
// Nothing here runs unless an endpoint is set: no endpoint, no provider, no tracer.

/** Where traces go and with which headers, read from the standard OTEL_* variables; null when tracing is off. */
export function otlpTarget(env: NodeJS.ProcessEnv): { url: string; headers: Record<string, string> } | null {
  const specific = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!specific && !base) return null;
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return null;
  const url = specific || `${base!.replace(/\/+$/, '')}/v1/traces`;
  return { url, headers: { ...parseHeaders(env.OTEL_EXPORTER_OTLP_HEADERS), ...parseHeaders(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS) } };
}

/** Whether transcript text, tool inputs and results may go into spans (`PARLEY_OTEL_CONTENT=true`). */
export function contentInTraces(env: NodeJS.ProcessEnv): boolean {
  return env.PARLEY_OTEL_CONTENT === 'true';
}

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

/** `k1=v1,k2=v2` with URL-encoded values, as the OTLP exporter spec writes headers. */
function parseHeaders(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    const i = pair.indexOf('=');
    if (i <= 0) continue;
    try {
      out[decodeURIComponent(pair.slice(0, i).trim())] = decodeURIComponent(pair.slice(i + 1).trim());
    } catch {
      /* a malformed pair is skipped, as the SDK does */
    }
  }
  return out;
}
