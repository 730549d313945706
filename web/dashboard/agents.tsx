import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { getAgents, getEmbed, getSessions, type AgentInfo, type LiveSession } from './api.ts';
import { href } from './router.ts';
import { Card, dateTime, ErrorBox, Loading, shortId, useLoad } from './ui.tsx';

// The agents the server runs, the folders that failed to load (with the loader's message), the
// sessions running now, and each agent's embed snippet.

export function Agents() {
  const { data, error, loading } = useLoad(getAgents, []);
  if (error) return <ErrorBox message={error} />;
  if (loading || !data) return <Loading />;
  return (
    <div>
      <div class="page-head">
        <h1>Agents</h1>
      </div>
      {data.problems.map((p) => (
        <div class="alert error">
          <div class="strong">
            {p.folder}: {p.serving ? `the last edit did not load; still serving version ${p.serving.slice(0, 12)}` : 'did not load'}
          </div>
          <pre class="problem">{p.message}</pre>
        </div>
      ))}
      <LiveSessions />
      {!data.agents.length && <div class="empty">No agent is loaded.</div>}
      <div class="agents">
        {data.agents.map((a) => (
          <AgentCard a={a} />
        ))}
      </div>
    </div>
  );
}

function AgentCard({ a }: { a: AgentInfo }) {
  const web = a.channels.web;
  return (
    <Card
      title={
        <>
          {a.name} <span class="muted small">version {a.version.slice(0, 8)}</span>
        </>
      }
      actions={
        <div class="actions">
          <a class="btn small" href={href(`/sandbox/${a.name}`)}>
            Try it
          </a>
          <a class="btn small" href={href(`/agents/${a.name}/embed`)}>
            Embed
          </a>
          <a class="btn small ghost" href={href('/conversations', { agent: a.name })}>
            Conversations
          </a>
        </div>
      }
    >
      {a.description && <p class="desc">{a.description}</p>}
      {a.problem && (
        <div class="alert warn small">
          The last edit did not load; this version keeps serving.
          <pre class="problem">{a.problem}</pre>
        </div>
      )}
      <dl class="fields cols">
        <Row k="Folder" v={a.folder} />
        <Row k="Model" v={a.model} />
        <Row k="Speech to text" v={a.stt} />
        <Row k="Voice" v={`${a.tts}${a.voiceId ? ` · ${a.voiceId}` : ''}`} />
        <Row k="Language · zone" v={`${a.language} · ${a.timeZone}`} />
        <Row k="Tools" v={a.tools.length ? a.tools.join(', ') : 'none'} />
        <Row k="Calendar" v={a.calendar ?? 'none'} />
        <Row k="Knowledge" v={`${a.knowledge.sources} sources in the file · ${a.knowledge.indexedSources} indexed · ${a.knowledge.chunks} chunks${a.knowledge.strict ? ' · strict' : ''}`} />
        <Row k="Web" v={web.enabled ? (web.allowedOrigins.length ? web.allowedOrigins.join(', ') : 'on, but no site is allowed yet') : 'off'} />
        <Row k="Widget" v={<span><span class="swatch" style={{ background: web.widget.color }} /> {web.widget.label} · {web.widget.position}</span>} />
        <Row k="Phone" v={a.channels.phone?.number ?? 'none'} />
        <Row k="Limits" v={`${a.limits.maxDurationSec} s per conversation · ${a.limits.maxConcurrent} at once · ${a.limits.conversationsPerIpPerHour}/h per caller · $${a.limits.dailyBudgetUsd}/day · ${a.limits.dailyMinutes} min/day`} />
        <Row k="Loaded" v={dateTime(a.loadedAt)} />
      </dl>
    </Card>
  );
}

function Row({ k, v }: { k: string; v: ComponentChildren }) {
  return (
    <div>
      <dt>{k}</dt>
      <dd>{v}</dd>
    </div>
  );
}

function LiveSessions() {
  const [sessions, setSessions] = useState<LiveSession[]>([]);
  useEffect(() => {
    let live = true;
    const poll = () => getSessions().then((r) => live && setSessions(r.sessions), () => {});
    poll();
    const timer = setInterval(poll, 5000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  if (!sessions.length) return <p class="muted small">No conversation is running right now.</p>;
  const nodes = new Set(sessions.map((s) => s.node)).size;
  return (
    <Card title={`Live now (${sessions.length})`}>
      <table class="table">
        <tbody>
          {sessions.map((s) => (
            <tr>
              <td>{s.agent}</td>
              <td>{s.door}</td>
              {nodes > 1 && <td class="muted small">{s.node}</td>}
              <td>
                <a href={href(`/conversations/${s.conversationId}`)}>
                  <code>{shortId(s.conversationId)}</code>
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

export function Embed({ agent }: { agent: string }) {
  const { data, error, loading } = useLoad(() => getEmbed(agent), [agent]);
  const [copied, setCopied] = useState(false);
  if (error) return <ErrorBox message={error} />;
  if (loading || !data) return <Loading />;
  const copy = async () => {
    await navigator.clipboard.writeText(data.snippet);
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  return (
    <div>
      <div class="page-head">
        <div>
          <a class="back" href={href('/agents')}>
            ← Agents
          </a>
          <h1>Embed {data.agent}</h1>
        </div>
      </div>
      <Card
        title="Snippet"
        actions={
          <button class="btn small primary" onClick={copy}>
            {copied ? 'Copied ✓' : 'Copy'}
          </button>
        }
      >
        <p class="muted small">Paste it before &lt;/body&gt; on every page that should show the widget.</p>
        <pre class="snippet">{data.snippet}</pre>
      </Card>
      <Card title="Sites allowed to embed it">
        {!data.webEnabled && <div class="alert warn">The web channel of this agent is off (channels.web.enabled: false): the widget will not start.</div>}
        {data.allowedOrigins.length ? (
          <ul class="origins">
            {data.allowedOrigins.map((o) => (
              <li>
                <code>{o}</code>
              </li>
            ))}
          </ul>
        ) : (
          <div class="alert warn">No site may embed this agent yet. Add your hosts to channels.web.allowedOrigins in agent.yaml (e.g. example.com, *.example.com).</div>
        )}
        <p class="muted small">To change this list, edit channels.web.allowedOrigins in the agent's agent.yaml: parley dev picks the edit up at once, parley serve on restart.</p>
      </Card>
    </div>
  );
}
