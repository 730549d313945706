import { useState } from 'preact/hooks';
import { getAgents, getEvents, redeliverEvent, type EventDelivery, type OutEvent } from './api.ts';
import { href, navigate } from './router.ts';
import { dateTime, ErrorBox, Loading, shortId, useLoad } from './ui.tsx';

// Events out (webhooks and emails from the outbox, docs/events.md): what was sent where, each
// attempt with its status, and "Send again" for an event a receiver missed.

const FILTERS = ['agent', 'type', 'state'] as const;
const TYPES = ['conversation.ended', 'lead.saved', 'booking.created', 'booking.cancelled', 'analysis.completed'];
const STATES = ['pending', 'delivering', 'delivered', 'failed'];

export function Events({ query }: { query: Record<string, string> }) {
  const filter = Object.fromEntries(FILTERS.map((k) => [k, query[k] ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const agents = useLoad(getAgents, []);
  const events = useLoad(() => getEvents(filter), [JSON.stringify(filter)]);
  const set = (k: string, v: string) => navigate('/events', { ...filter, [k]: v }, { replace: true });
  const select = (name: string, label: string, all: string, options: string[]) => (
    <label>
      {label}
      <select name={name} value={filter[name as keyof typeof filter]} onChange={(e) => set(name, e.currentTarget.value)}>
        <option value="">{all}</option>
        {options.map((o) => (
          <option value={o}>{o}</option>
        ))}
      </select>
    </label>
  );
  return (
    <div>
      <div class="page-head">
        <h1>Events out</h1>
      </div>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        {select('agent', 'Agent', 'All agents', agents.data?.agents.map((a) => a.name) ?? [])}
        {select('type', 'Event', 'All events', TYPES)}
        {select('state', 'Delivery', 'Any state', STATES)}
        <span class="muted small">Webhooks are retried with back-off for a day; each attempt is listed.</span>
      </form>
      {events.error && <ErrorBox message={events.error} />}
      {events.loading && <Loading />}
      {events.data && (
        <table class="table" data-list="events">
          <thead>
            <tr>
              <th>Queued</th>
              <th>Event</th>
              <th>Agent</th>
              <th>Conversation</th>
              <th>Deliveries</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {events.data.events.map((e) => (
              <EventRow event={e} onSent={events.reload} />
            ))}
          </tbody>
        </table>
      )}
      {events.data && !events.data.events.length && <div class="empty">No event has gone out{filter.agent || filter.type || filter.state ? ' with these filters' : ''}. Declare receivers under events.webhooks in agent.yaml or set PARLEY_EVENTS_URL.</div>}
    </div>
  );
}

function EventRow({ event: e, onSent }: { event: OutEvent; onSent: () => void }) {
  const [sending, setSending] = useState<'idle' | 'sending' | { error: string } | { sent: number }>('idle');
  const busy = e.deliveries.some((d) => d.state === 'delivering');
  const send = async () => {
    setSending('sending');
    try {
      const r = await redeliverEvent(e.id);
      setSending({ sent: r.redelivered });
      onSent();
    } catch (err) {
      setSending({ error: (err as Error).message });
    }
  };
  return (
    <tr data-event={e.id}>
      <td class="nowrap">{dateTime(e.createdAt)}</td>
      <td>
        <code>{e.type}</code>
      </td>
      <td>{e.agent}</td>
      <td>
        {e.conversationId ? (
          <a href={href(`/conversations/${e.conversationId}`)}>
            <code>{shortId(e.conversationId)}</code>
          </a>
        ) : (
          <span class="muted">—</span>
        )}
      </td>
      <td>
        {e.deliveries.map((d) => (
          <Delivery delivery={d} />
        ))}
      </td>
      <td class="nowrap">
        <button class="btn small" disabled={busy || sending === 'sending'} onClick={send} title="Deliver again to every destination, with the same webhook-id">
          Send again
        </button>
        {typeof sending === 'object' && 'sent' in sending && <div class="muted small">queued {sending.sent}</div>}
        {typeof sending === 'object' && 'error' in sending && <div class="error small">{sending.error}</div>}
      </td>
    </tr>
  );
}

function Delivery({ delivery: d }: { delivery: EventDelivery }) {
  const badge = d.state === 'delivered' ? 'ok' : d.state === 'failed' ? 'bad' : 'muted-badge';
  return (
    <details class="delivery" data-state={d.state}>
      <summary>
        <span class={`badge ${badge}`}>{d.state}</span> <code>{d.destination}</code>{' '}
        <span class="muted small">
          {d.attempts.length} attempt{d.attempts.length === 1 ? '' : 's'}
          {d.lastStatus !== null ? ` · last ${d.lastStatus}` : ''}
          {d.nextAttemptAt ? ` · next ${dateTime(d.nextAttemptAt)}` : ''}
        </span>
      </summary>
      <ol class="attempts">
        {d.attempts.map((a) => (
          <li>
            {dateTime(a.at)} · {a.status ?? 'no answer'} · {a.durationMs} ms{a.error ? <span class="error"> · {a.error}</span> : null}
          </li>
        ))}
      </ol>
    </details>
  );
}
