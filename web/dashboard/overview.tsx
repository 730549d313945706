import { getAgents, getOverview, getUnanswered, OUTCOMES, type Overview as Data, type Outcome, type UnansweredQuestion } from './api.ts';
import { Chart } from './chart.tsx';
import { href, navigate } from './router.ts';
import { Card, ErrorBox, Loading, outcomeLabel, shortId, useLoad } from './ui.tsx';

// The owner's page: what the agents did over the chosen days, read at a glance. Everything is
// aggregated by the server in the chosen zone (docs/dashboard.md); filters live in the URL.

const FILTERS = ['agent', 'from', 'to', 'tz', 'test'] as const;

const OUTCOME_COLOR: Record<Outcome, string> = {
  booked: '#067647',
  lead: '#3b4cca',
  open: '#98a2b3',
  error: '#b42318',
  limit: '#b54708',
  'ended-by-agent': '#7a5af8',
  'caller-left': '#d0d5dd',
};

const usd = (v: number) => `$${v < 10 ? v.toFixed(2) : v.toFixed(0)}`;
const ms = (v: number) => `${Math.round(v)} ms`;

export function Overview({ query }: { query: Record<string, string> }) {
  const filter = Object.fromEntries(FILTERS.map((k) => [k, query[k] ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const key = JSON.stringify(filter);
  const agents = useLoad(getAgents, []);
  const data = useLoad(() => getOverview(filter), [key]);
  const unanswered = useLoad(() => (data.data ? getUnanswered({ agent: filter.agent, from: data.data.start, to: data.data.end, test: filter.test ?? '' }) : Promise.resolve({ questions: [] })), [key, data.data?.start]);
  const set = (k: string, v: string) => navigate('/overview', { ...filter, [k]: v }, { replace: true });
  return (
    <div>
      <div class="page-head">
        <h1>Overview</h1>
        {data.data && <span class="muted small">{`${data.data.from} – ${data.data.to} · days in ${data.data.tz}`}</span>}
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
          <input type="date" name="from" value={filter.from || data.data?.from} onChange={(e) => set('from', e.currentTarget.value)} />
        </label>
        <label>
          To
          <input type="date" name="to" value={filter.to || data.data?.to} onChange={(e) => set('to', e.currentTarget.value)} />
        </label>
        <label>
          Time zone
          <input name="tz" placeholder={data.data?.tz ?? 'UTC'} value={filter.tz} onChange={(e) => set('tz', e.currentTarget.value.trim())} size={16} />
        </label>
        <label class="check">
          <input type="checkbox" name="test" checked={filter.test === '1'} onChange={(e) => set('test', e.currentTarget.checked ? '1' : '')} />
          Include sandbox and test runs
        </label>
      </form>
      {data.error && <ErrorBox message={data.error} />}
      {data.loading && !data.data && <Loading />}
      {data.data && <Body o={data.data} questions={unanswered.data?.questions ?? []} agent={filter.agent} test={filter.test} />}
    </div>
  );
}

function Body({ o, questions, agent, test }: { o: Data; questions: UnansweredQuestion[]; agent: string; test: string }) {
  const days = o.days.map((d) => d.day);
  const total = (f: (d: Data['days'][number]) => number) => o.days.reduce((s, d) => s + f(d), 0);
  const conversations = total((d) => d.conversations);
  const cost = total((d) => d.costUsd);
  const answered = o.days.filter((d) => d.latency);
  const worstP95 = answered.length ? Math.max(...answered.map((d) => d.latency!.p95)) : null;
  const f = o.funnel;
  const steps: [string, number][] = [
    ['Widget opened', f.widgetOpened],
    ['Conversation', f.conversations],
    ['Lead', f.leads],
    ['Booking', f.bookings],
  ];
  const top = Math.max(1, ...steps.map(([, n]) => n));
  return (
    <>
      <div class="tiles">
        <Tile label="Conversations" value={String(conversations)} />
        <Tile label="Leads" value={String(total((d) => d.outcomes.lead + d.outcomes.booked))} />
        <Tile label="Bookings" value={String(total((d) => d.bookings))} />
        <Tile label="Cost" value={usd(cost)} note={`budget ${usd(o.budgetUsd)} a day`} />
        <Tile label="Worst day p95" value={worstP95 === null ? '—' : ms(worstP95)} note="voice to voice" />
        <Tile label="Tool errors" value={String(total((d) => d.toolErrors))} />
      </div>
      <div class="grid2">
        <Card title="Conversations per day, by outcome">
          <Chart label="conversations per day by outcome" days={days} stacked series={OUTCOMES.map((out) => ({ label: outcomeLabel(out), color: OUTCOME_COLOR[out], kind: 'bar' as const, values: o.days.map((d) => d.outcomes[out]) }))} />
        </Card>
        <Card title="Funnel (web)">
          <div class="funnel">
            {steps.map(([label, n], i) => (
              <div class="step">
                <span class="step-label">{label}</span>
                <span class="step-bar" style={{ width: `${Math.max(2, (n / top) * 100)}%` }} />
                <span class="step-n">
                  {n}
                  {i > 0 && steps[i - 1]![1] > 0 && <span class="muted small"> · {Math.round((n / steps[i - 1]![1]) * 100)}%</span>}
                </span>
              </div>
            ))}
          </div>
          <div class="muted small">“Widget opened” counts the widget’s session requests from allowed sites.</div>
        </Card>
        <Card title="Bookings per day">
          <Chart label="bookings per day" days={days} series={[{ label: 'Bookings', color: '#067647', kind: 'bar', values: o.days.map((d) => d.bookings) }]} />
        </Card>
        <Card title="Cost per day against the budget">
          <Chart
            label="cost per day against the daily budget"
            days={days}
            series={[
              { label: 'Cost', color: '#3b4cca', kind: 'bar', values: o.days.map((d) => d.costUsd), format: usd },
              { label: 'Daily budget', color: '#b42318', kind: 'dash', values: o.days.map(() => o.budgetUsd), format: usd },
            ]}
          />
        </Card>
        <Card title="Voice-to-voice latency">
          <Chart
            label="voice-to-voice latency p50 and p95 per day"
            days={days}
            series={[
              { label: 'p50', color: '#3b4cca', kind: 'line', values: o.days.map((d) => d.latency?.p50 ?? null), format: ms },
              { label: 'p95', color: '#b54708', kind: 'line', values: o.days.map((d) => d.latency?.p95 ?? null), format: ms },
            ]}
          />
        </Card>
        <Card title="Tool errors">
          <Chart label="tool errors per day" days={days} height={120} series={[{ label: 'Errors', color: '#b42318', kind: 'bar', values: o.days.map((d) => d.toolErrors) }]} />
          {o.toolErrors.length > 0 ? (
            <table class="table compact">
              <tbody>
                {o.toolErrors.map((t) => (
                  <tr>
                    <td>
                      <code>{t.tool}</code>
                    </td>
                    <td class="num">
                      {t.errors} of {t.calls} calls failed
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <div class="muted small">No tool failed.</div>
          )}
        </Card>
      </div>
      <Card title="Questions the agent could not answer">
        {questions.length ? (
          <table class="table compact unanswered">
            <thead>
              <tr>
                <th>Question</th>
                <th class="num">Asked</th>
                <th>Last asked</th>
                <th>Conversations</th>
              </tr>
            </thead>
            <tbody>
              {questions.slice(0, 20).map((q) => (
                <tr>
                  <td>
                    {q.text}
                    {q.turnedAway && <span class="muted small"> · turned away: {q.turnedAway}</span>}
                    {q.variants && q.variants.length > 0 && <div class="muted small">also: {q.variants.join(' · ')}</div>}
                  </td>
                  <td class="num">{q.count}</td>
                  <td class="nowrap">{new Date(q.lastAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}</td>
                  <td>
                    {q.conversationIds.slice(0, 3).map((id) => (
                      <a href={href(`/conversations/${id}`)}>
                        <code>{shortId(id)}</code>{' '}
                      </a>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <div class="muted small">None: every question found its answer in the documents (or strict knowledge is off).</div>
        )}
        <div class="muted small">
          Add what they ask to the agent’s <code>knowledge/</code>. <a href={href('/conversations', { agent, test })}>All conversations →</a>
        </div>
      </Card>
    </>
  );
}

function Tile({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <div class="tile">
      <div class="tile-label">{label}</div>
      <div class="tile-value">{value}</div>
      {note && <div class="muted small">{note}</div>}
    </div>
  );
}
