import { csvUrl, getAgents, getBookings, getLeads } from './api.ts';
import { href, navigate } from './router.ts';
import { dateTime, ErrorBox, Loading, shortId, useLoad } from './ui.tsx';

// Leads and bookings, newest first, with the same filters as the CSV download beside them
// (cells that a spreadsheet would run as formulas are defused by the server).

const FILTERS = ['agent', 'from', 'to', 'test'] as const;

export function Leads({ list, query }: { list: 'leads' | 'bookings'; query: Record<string, string> }) {
  const filter = Object.fromEntries(FILTERS.map((k) => [k, query[k] ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const key = JSON.stringify(filter);
  const agents = useLoad(getAgents, []);
  const leads = useLoad(() => (list === 'leads' ? getLeads(filter) : Promise.resolve(null)), [list, key]);
  const bookings = useLoad(() => (list === 'bookings' ? getBookings(filter) : Promise.resolve(null)), [list, key]);
  const set = (k: string, v: string) => navigate(`/${list}`, { ...filter, [k]: v }, { replace: true });
  const error = leads.error ?? bookings.error;
  const fields = [...new Set((leads.data?.leads ?? []).flatMap((l) => Object.keys(l.fields)))];
  return (
    <div>
      <div class="page-head">
        <div class="tabs">
          <a href={href('/leads', filter)} class={list === 'leads' ? 'active' : ''}>
            <h1>Leads</h1>
          </a>
          <a href={href('/bookings', filter)} class={list === 'bookings' ? 'active' : ''}>
            <h1>Bookings</h1>
          </a>
        </div>
        <a class="btn" href={csvUrl(list, filter)} download>
          Download CSV
        </a>
      </div>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Agent
          <select name="agent" value={filter.agent} onChange={(e) => set('agent', e.currentTarget.value)}>
            <option value="">All agents</option>
            {agents.data?.agents.map((a) => (
              <option value={a.name}>{a.name}</option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="date" name="from" value={filter.from} onChange={(e) => set('from', e.currentTarget.value)} />
        </label>
        <label>
          To
          <input type="date" name="to" value={filter.to} onChange={(e) => set('to', e.currentTarget.value)} />
        </label>
        <label class="check">
          <input type="checkbox" name="test" checked={filter.test === '1'} onChange={(e) => set('test', e.currentTarget.checked ? '1' : '')} />
          Include sandbox and test runs
        </label>
        <span class="muted small">Default: the last 30 days, in the agent’s time zone.</span>
      </form>
      {error && <ErrorBox message={error} />}
      {(leads.loading || bookings.loading) && <Loading />}
      {leads.data && (
        <table class="table" data-list="leads">
          <thead>
            <tr>
              <th>Saved</th>
              <th>Agent</th>
              {fields.map((f) => (
                <th>{f}</th>
              ))}
              <th>Summary</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {leads.data.leads.map((l) => (
              <tr>
                <td class="nowrap">{dateTime(l.createdAt)}</td>
                <td>{l.agent}</td>
                {fields.map((f) => (
                  <td>{l.fields[f] ?? ''}</td>
                ))}
                <td class="preview">{l.summary ?? <span class="muted">—</span>}</td>
                <td>
                  <a href={href(`/conversations/${l.conversationId}`)}>
                    <code>{shortId(l.conversationId)}</code>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {leads.data && !leads.data.leads.length && <div class="empty">No lead in these days.</div>}
      {bookings.data && (
        <table class="table" data-list="bookings">
          <thead>
            <tr>
              <th>Call</th>
              <th>Name</th>
              <th>Email</th>
              <th>Company</th>
              <th>Agent</th>
              <th>Booked</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {bookings.data.bookings.map(({ booking: b, ...r }) => (
              <tr>
                <td class="nowrap">
                  {new Date(b.start).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: b.timeZone })} <span class="muted small">{b.timeZone}</span>
                </td>
                <td>{b.attendee?.name}</td>
                <td>{b.attendee?.email}</td>
                <td>{b.attendee?.company ?? ''}</td>
                <td>{r.agent}</td>
                <td class="nowrap">{dateTime(r.bookedAt)}</td>
                <td>
                  <a href={href(`/conversations/${r.conversationId}`)}>
                    <code>{shortId(r.conversationId)}</code>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {bookings.data && !bookings.data.bookings.length && <div class="empty">No booking in these days.</div>}
    </div>
  );
}
