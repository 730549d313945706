import { useState } from 'preact/hooks';
import { getAgents, getCampaign, getCampaigns, setCampaign, startCampaign, type CampaignView } from './api.ts';
import { href, navigate } from './router.ts';
import { dateTime, ErrorBox, Loading, shortId, useLoad } from './ui.tsx';

// Outbound campaigns (docs/phone.md): each with its counts and outcomes, pause and resume, a
// form to start one from a CSV file, and one campaign's contacts.

export function Campaigns() {
  const list = useLoad(getCampaigns, []);
  return (
    <div>
      <div class="page-head">
        <h1>Campaigns</h1>
      </div>
      <StartForm onStarted={(id) => navigate(`/campaigns/${id}`)} />
      {list.error && <ErrorBox message={list.error} />}
      {list.loading && <Loading />}
      {list.data && !list.data.dialling && <div class="alert">This server does not dial campaigns (PARLEY_PUBLIC_URL unset, or PARLEY_CAMPAIGNS=off); a node that does picks them up.</div>}
      {list.data && (
        <table class="table" data-list="campaigns">
          <thead>
            <tr>
              <th>Started</th>
              <th>Campaign</th>
              <th>Agent</th>
              <th>State</th>
              <th>Contacts</th>
              <th>Outcomes</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.campaigns.map((c) => (
              <tr data-campaign={c.id}>
                <td class="nowrap">{dateTime(c.createdAt)}</td>
                <td>
                  <a href={href(`/campaigns/${c.id}`)}>{c.name}</a>
                </td>
                <td>{c.agent}</td>
                <td>{c.state}</td>
                <td class="small">{counts(c)}</td>
                <td class="small">{outcomes(c)}</td>
                <td>
                  <Toggle campaign={c} onDone={list.reload} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data && !list.data.campaigns.length && <div class="empty">No campaign yet. Start one from a CSV file with a phone column, here or with `parley campaign start`.</div>}
    </div>
  );
}

export function Campaign({ id }: { id: string }) {
  const got = useLoad(() => getCampaign(id), [id]);
  if (got.error) return <ErrorBox message={got.error} />;
  if (!got.data) return <Loading />;
  const { campaign: c, contacts } = got.data;
  const w = c.settings.window;
  return (
    <div>
      <div class="page-head">
        <h1>{c.name}</h1>
        <Toggle campaign={c} onDone={got.reload} />
      </div>
      <p class="muted">
        {c.agent} · {c.state} · {w.start}–{w.end} callee time, days {w.days.join(',')} · {c.settings.concurrency} at once · {c.settings.perMinute}/min · {c.settings.maxAttempts} attempts · {counts(c)} · {outcomes(c)}
      </p>
      <table class="table" data-list="contacts">
        <thead>
          <tr>
            <th>Line</th>
            <th>Phone</th>
            <th>Name</th>
            <th>Zone</th>
            <th>State</th>
            <th>Attempts</th>
            <th>Outcome</th>
            <th>Next attempt</th>
          </tr>
        </thead>
        <tbody>
          {contacts.map((k) => (
            <tr>
              <td class="num">{k.row}</td>
              <td class="nowrap">{k.phone}</td>
              <td>{k.name ?? '—'}</td>
              <td class="small">{k.timeZone}</td>
              <td>{k.state}</td>
              <td class="num">{k.attempts}</td>
              <td>{k.outcome ?? '—'}</td>
              <td class="small nowrap">{k.state === 'pending' ? dateTime(k.nextAttemptAt) : ''}{k.lastError && <div class="muted">{k.lastError}</div>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Toggle({ campaign: c, onDone }: { campaign: CampaignView; onDone: () => void }) {
  const [error, setError] = useState<string | null>(null);
  if (c.state === 'finished') return null;
  const action = c.state === 'running' ? 'pause' : 'resume';
  const click = () => setCampaign(c.id, action).then(onDone, (e: Error) => setError(e.message));
  return (
    <span>
      <button class="btn small" onClick={click} title={`${action} campaign ${shortId(c.id)}`}>
        {action === 'pause' ? 'Pause' : 'Resume'}
      </button>
      {error && <span class="muted small"> {error}</span>}
    </span>
  );
}

function StartForm({ onStarted }: { onStarted: (id: string) => void }) {
  const agents = useLoad(getAgents, []);
  const [problems, setProblems] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const file = form.get('file') as File | null;
    const body: Record<string, string> = { csv: file ? await file.text() : '' };
    for (const k of ['agent', 'name', 'hours', 'days', 'concurrency', 'perMinute', 'country']) body[k] = String(form.get(k) ?? '');
    if (!body.country) delete body.country;
    try {
      onStarted((await startCampaign(body)).campaign.id);
    } catch (err) {
      setProblems((err as Error).message);
    }
  };
  const phoneAgents = agents.data?.agents.filter((a) => a.channels.phone?.number) ?? [];
  return (
    <form class="filters" onSubmit={submit} data-form="start-campaign">
      <label>
        Agent
        <select name="agent">
          {phoneAgents.map((a) => (
            <option value={a.name}>{a.name}</option>
          ))}
        </select>
      </label>
      <label>
        Contacts (CSV)
        <input type="file" name="file" accept=".csv,text/csv" required />
      </label>
      <label>
        Name
        <input name="name" placeholder="spring follow-ups" />
      </label>
      <label>
        Hours (callee time)
        <input name="hours" value="09:00-20:00" size={11} />
      </label>
      <label>
        Days
        <input name="days" value="mon-fri" size={8} />
      </label>
      <label>
        At once
        <input name="concurrency" type="number" min={1} value="2" style="width:5em" />
      </label>
      <label>
        Per minute
        <input name="perMinute" type="number" min={1} value="10" style="width:5em" />
      </label>
      <label>
        Country
        <input name="country" placeholder="US" size={3} />
      </label>
      <button class="btn primary" disabled={!phoneAgents.length}>
        Start
      </button>
      {problems && <ErrorBox message={problems} />}
    </form>
  );
}

function counts(c: CampaignView): string {
  const k = c.contacts;
  return `${k.pending} waiting · ${k.calling} calling · ${k.done} reached · ${k.unreachable} unreachable · ${k['do-not-call']} do-not-call`;
}

function outcomes(c: CampaignView): string {
  return Object.entries(c.outcomes).map(([o, n]) => `${o} ${n}`).join(' · ') || '—';
}
