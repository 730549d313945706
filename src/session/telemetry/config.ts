// Whether and where traces go, read from the standard OpenTelemetry variables. No SDK here:
// the conversation asks this on every start, and tracing off must cost nothing.

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
