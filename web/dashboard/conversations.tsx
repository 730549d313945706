import { useEffect, useState } from 'preact/hooks';
import { DOORS, getAgents, listConversations, OUTCOMES, type ConversationItem } from './api.ts';
import { href, navigate } from './router.ts';
import { dateTime, duration, ErrorBox, Loading, OutcomeBadge, outcomeLabel, useLoad } from './ui.tsx';

// The conversations list: filters live in the URL (so a filtered view can be shared), newest
// first, 50 at a time with "Load more". Search finds words in the transcripts; sandbox and test
// runs are left out unless the toggle is on.

const FILTERS = ['q', 'agent', 'door', 'outcome', 'from', 'to', 'test'] as const;

export function Conversations({ query }: { query: Record<string, string> }) {
  const filter = Object.fromEntries(FILTERS.map((k) => [k, query[k] ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const agents = useLoad(getAgents, []);
  const [rows, setRows] = useState<ConversationItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const key = JSON.stringify(filter);

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(undefined);
    listConversations(filter).then(
      (page) => {
        if (!live) return;
        setRows(page.conversations);
        setCursor(page.nextCursor);
        setLoading(false);
      },
      (e: Error) => {
        if (!live) return;
        setError(e.message);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [key]);

  const more = async () => {
    if (!cursor) return;
    setLoading(true);
    try {
      const page = await listConversations(filter, cursor);
      setRows((r) => [...r, ...page.conversations]);
      setCursor(page.nextCursor);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  };

  const set = (k: string, v: string) => navigate('/conversations', { ...filter, [k]: v }, { replace: true });
  const active = FILTERS.some((k) => filter[k]);

  return (
    <div>
      <div class="page-head">
        <h1>Conversations</h1>
      </div>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label class="grow">
          Search transcripts
          <input type="search" name="q" placeholder="words the caller or agent said" value={filter.q} onChange={(e) => set('q', e.currentTarget.value.trim())} />
        </label>
        <label>
          Agent
          <select value={filter.agent} onChange={(e) => set('agent', e.currentTarget.value)}>
            <option value="">All agents</option>
            {agents.data?.agents.map((a) => (
              <option value={a.name}>{a.name}</option>
            ))}
          </select>
        </label>
        <label>
          Door
          <select value={filter.door} onChange={(e) => set('door', e.currentTarget.value)}>
            <option value="">Any door</option>
            {DOORS.map((d) => (
              <option value={d}>{d}</option>
            ))}
          </select>
        </label>
        <label>
          Outcome
          <select value={filter.outcome} onChange={(e) => set('outcome', e.currentTarget.value)}>
            <option value="">Any outcome</option>
            {OUTCOMES.map((o) => (
              <option value={o}>{outcomeLabel(o)}</option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="date" value={filter.from} onChange={(e) => set('from', e.currentTarget.value)} />
        </label>
        <label>
          To
          <input type="date" value={filter.to} onChange={(e) => set('to', e.currentTarget.value)} />
        </label>
        <label class="check">
          <input type="checkbox" name="test" checked={filter.test === '1'} onChange={(e) => set('test', e.currentTarget.checked ? '1' : '')} />
          Include sandbox and test runs
        </label>
        {active && (
          <button type="button" class="btn ghost" onClick={() => navigate('/conversations', {}, { replace: true })}>
            Clear filters
          </button>
        )}
      </form>
      {error && <ErrorBox message={error} />}
      {!error && !loading && !rows.length && <div class="empty">{active ? 'No conversation matches these filters.' : 'No conversations yet. Try an agent in the sandbox.'}</div>}
      {rows.length > 0 && (
        <table class="table clickable">
          <thead>
            <tr>
              <th>Started</th>
              <th>Caller</th>
              <th>Agent</th>
              <th>Door</th>
              <th>Outcome</th>
              <th class="num">Duration</th>
              <th class="num">Turns</th>
              <th>Summary</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr onClick={() => (location.hash = href(`/conversations/${c.id}`))}>
                <td class="nowrap">
                  <a href={href(`/conversations/${c.id}`)}>{dateTime(c.startedAt)}</a>
                </td>
                <td class="caller-cell">
                  {c.name ?? <span class="muted">—</span>}
                  {c.company && <div class="muted small">{c.company}</div>}
                </td>
                <td>{c.agent}</td>
                <td>
                  {c.door}
                  {c.recording && <span class="muted" title="has a recording"> ♪</span>}
                  {c.callOutcome && (
                    <div class="muted small" title="how the outbound call was answered">
                      {c.callOutcome}
                    </div>
                  )}
                </td>
                <td>
                  <OutcomeBadge outcome={c.outcome} />
                </td>
                <td class="num nowrap">{duration(c.durationMs)}</td>
                <td class="num">{c.turns}</td>
                <td class="preview">
                  {c.analysis === 'failed' && <span class="badge danger-badge" title="the post-call analysis failed: see the conversation">analysis failed</span>} {c.summary ?? (c.preview ? <span class="muted">“{c.preview}”</span> : <span class="muted">—</span>)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {loading && <Loading />}
      {cursor && !loading && (
        <div class="center">
          <button class="btn" onClick={more}>
            Load more
          </button>
        </div>
      )}
    </div>
  );
}
