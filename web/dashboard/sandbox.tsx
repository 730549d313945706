import { useEffect, useRef, useState } from 'preact/hooks';
import { getAgents } from './api.ts';
import { href, navigate } from './router.ts';
import { SandboxSession, type SandboxView } from './sandbox-session.ts';
import { ErrorBox, Loading, useLoad } from './ui.tsx';

// Try any loaded agent by text or voice, exactly as a caller would through the web door. Each
// session is a real conversation with a record, linked when it ends.

const STATE_LABEL: Record<SandboxView['state'], string> = {
  connecting: 'Connecting…',
  listening: 'Listening',
  thinking: 'Thinking…',
  speaking: 'Speaking',
  ended: 'Ended',
};

export function Sandbox({ agent }: { agent?: string }) {
  const agents = useLoad(getAgents, []);
  const [session, setSession] = useState<SandboxSession>();
  const [view, setView] = useState<SandboxView>();
  const [draft, setDraft] = useState('');
  const log = useRef<HTMLDivElement>(null);
  const names = agents.data?.agents.map((a) => a.name) ?? [];
  const chosen = agent && names.includes(agent) ? agent : names[0];
  const running = !!session && view?.state !== 'ended';

  useEffect(() => () => session?.end(), [session]);
  useEffect(() => {
    log.current?.scrollTo({ top: log.current.scrollHeight });
  }, [view?.lines]);

  const start = (mode: 'text' | 'voice') => {
    if (!chosen) return;
    session?.end();
    const s = new SandboxSession(mode, setView);
    setSession(s);
    setView(undefined);
    void s.open(chosen);
  };

  const send = (e: Event) => {
    e.preventDefault();
    session?.say(draft);
    setDraft('');
  };

  if (agents.error) return <ErrorBox message={agents.error} />;
  if (agents.loading && !agents.data) return <Loading />;
  if (!names.length) return <div class="empty">No agent is loaded. Fix the problems on the Agents page first.</div>;

  return (
    <div>
      <div class="page-head">
        <h1>Sandbox</h1>
      </div>
      <div class="sandbox-bar">
        <label>
          Agent
          <select value={chosen} disabled={running} onChange={(e) => navigate(`/sandbox/${e.currentTarget.value}`)}>
            {names.map((n) => (
              <option value={n}>{n}</option>
            ))}
          </select>
        </label>
        {!running ? (
          <>
            <button class="btn primary" onClick={() => start('text')}>
              Start text chat
            </button>
            <button class="btn" onClick={() => start('voice')}>
              Start voice call
            </button>
            <span class="muted small">Voice uses your microphone, over WebRTC when it connects (else the socket), as the widget does.</span>
          </>
        ) : (
          <>
            <span class={`state state-${view?.state ?? 'connecting'}`}>{STATE_LABEL[view?.state ?? 'connecting']}</span>
            {view?.transport && (
              <span class="muted small transport" data-transport={view.transport} title="How the audio travels">
                {view.transport === 'webrtc' ? 'WebRTC · Opus' : view.transport === 'socket-opus' ? 'socket · Opus' : 'socket · PCM'}
              </span>
            )}
            {session.mode === 'voice' && (
              <button class="btn" onClick={() => session.mute(!view?.muted)}>
                {view?.muted ? 'Unmute' : 'Mute'}
              </button>
            )}
            <button class="btn danger" onClick={() => session.end()}>
              Hang up
            </button>
          </>
        )}
      </div>
      <div class="chat" ref={log}>
        {!view && !session && <div class="muted pad">Start a conversation to talk to {chosen}. Everything is recorded like a real conversation.</div>}
        {view?.lines.map((l) => (
          <div class={`bubble ${l.role} ${l.final ? '' : 'partial'}`}>{l.text}</div>
        ))}
        {view?.state === 'ended' && (
          <div class="ended">
            Conversation ended{view.endReason ? ` (${view.endReason})` : ''}.{' '}
            {view.conversationId && <a href={href(`/conversations/${view.conversationId}`)}>Open its record →</a>}
          </div>
        )}
      </div>
      {running && session.mode === 'text' && (
        <form class="composer" onSubmit={send}>
          <input value={draft} onInput={(e) => setDraft(e.currentTarget.value)} placeholder="Type what the caller says…" autofocus disabled={view?.state === 'thinking'} />
          <button class="btn primary" disabled={!draft.trim()}>
            Send
          </button>
        </form>
      )}
    </div>
  );
}
