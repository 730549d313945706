import type { Bar, ToolCall } from './api.ts';
import { duration, Json } from './ui.tsx';

// The two diagnostic pieces of an agent turn: each tool call shown as the request the tool
// built, the raw response, and what the agent said next, side by side; and the turn's latency
// as a waterfall of stage bars.

export function ToolCallCard({ call }: { call: ToolCall }) {
  const builtIn = call.request === null && call.response === null;
  return (
    <div class={`tool-call ${call.error ? 'failed' : ''}`}>
      <div class="tool-head">
        <span class="tool-name">⚙ {call.name}</span>
        <span class="muted">{duration(call.durationMs)}</span>
        {call.error && <span class="badge outcome-error">{call.error}</span>}
      </div>
      <div class="tool-cols">
        <div>
          <h4>Request the tool built</h4>
          {builtIn ? (
            <>
              <div class="muted small">Built in: no network request. Arguments from the model:</div>
              <Json value={call.input} />
            </>
          ) : (
            <Json value={call.request} />
          )}
        </div>
        <div>
          <h4>{builtIn ? 'Result' : 'Raw response'}</h4>
          <Json value={builtIn ? call.result : call.response} />
        </div>
        <div>
          <h4>What the agent said next</h4>
          {call.agentSaidNext ? <blockquote class="said">{call.agentSaidNext}</blockquote> : <div class="muted">Nothing (the conversation ended).</div>}
        </div>
      </div>
      {!builtIn && (
        <details class="more">
          <summary>Arguments from the model, and what the model got back</summary>
          <div class="tool-cols two">
            <div>
              <h4>Arguments</h4>
              <Json value={call.input} />
            </div>
            <div>
              <h4>Result given to the model</h4>
              <Json value={call.result} />
            </div>
          </div>
        </details>
      )}
    </div>
  );
}

/** Stage bars on one time axis; the scale is at least one second so short turns look short. */
export function Waterfall({ bars }: { bars: Bar[] }) {
  if (!bars.length) return null;
  const max = Math.max(1000, ...bars.map((b) => b.endMs));
  const pct = (ms: number) => `${(Math.max(0, ms) / max) * 100}%`;
  return (
    <div class="waterfall" aria-label="latency">
      {bars.map((b) => (
        <div class="wf-row" title={`${b.label}: ${Math.round(b.endMs - b.startMs)} ms`}>
          <span class="wf-label">{b.label}</span>
          <span class="wf-track">
            <span class={`wf-bar wf-${b.stage}`} style={{ left: pct(b.startMs), width: pct(Math.max(b.endMs - Math.max(0, b.startMs), 0)) }} />
          </span>
          <span class="wf-value">{Math.round(b.endMs - b.startMs)} ms</span>
        </div>
      ))}
    </div>
  );
}
