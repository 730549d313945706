import type { AnalysisRecord } from './api.ts';
import { Card } from './ui.tsx';

// The post-call analysis on the conversation page: the summary, the declared data fields and
// each success criterion with its verdict and reason; or why there is none.

export function AnalysisCard({ analysis: a, ended }: { analysis: AnalysisRecord | null; ended: boolean }) {
  return (
    <Card title="Analysis" class="analysis">
      {!a ? (
        <div class="muted small">{ended ? 'Not analysed (yet): it runs shortly after the conversation ends, when the agent declares an analysis block.' : 'Runs once the conversation has ended.'}</div>
      ) : a.status !== 'done' ? (
        <div class={a.status === 'failed' ? 'alert error' : 'muted'} data-status={a.status}>
          <strong>{a.status === 'failed' ? 'Failed' : 'Skipped'}:</strong> {a.error}
        </div>
      ) : (
        <>
          {a.summary && <p class="summary">{a.summary}</p>}
          {a.data && Object.keys(a.data).length > 0 && (
            <dl class="fields">
              {Object.entries(a.data).map(([k, v]) => (
                <div>
                  <dt>{k}</dt>
                  <dd>{v === null ? <span class="muted">—</span> : String(v)}</dd>
                </div>
              ))}
            </dl>
          )}
          {a.criteria.length > 0 && (
            <ul class="criteria">
              {a.criteria.map((c) => (
                <li class={c.pass ? 'pass' : 'fail'}>
                  <span class={`badge ${c.pass ? 'outcome-booked' : 'danger-badge'}`}>{c.pass ? 'pass' : 'fail'}</span> <strong>{c.criterion}</strong>
                  <div class="muted small">{c.reason}</div>
                </li>
              ))}
            </ul>
          )}
          <div class="muted small">{a.model}</div>
        </>
      )}
    </Card>
  );
}
