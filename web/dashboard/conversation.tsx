import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { AnalysisCard } from './analysis.tsx';
import { getConversation, type ConversationDetail, type Turn } from './api.ts';
import { href } from './router.ts';
import { ToolCallCard, Waterfall } from './tool-call.tsx';
import { Card, clock, dateTime, duration, ErrorBox, Json, Loading, OutcomeBadge, shortId, useLoad } from './ui.tsx';

// One conversation: the transcript beside the recording (click a line to hear it), every tool
// call with its request, raw response and the agent's next words, the knowledge each answer
// used, per-turn latency, and the lead and booking.

export function Conversation({ id }: { id: string }) {
  const { data, error, loading } = useLoad(() => getConversation(id), [id]);
  if (error) return <ErrorBox message={error} />;
  if (loading || !data) return <Loading />;
  return <ConversationView c={data} />;
}

function ConversationView({ c }: { c: ConversationDetail }) {
  const audio = useRef<HTMLAudioElement>(null);
  const [nowMs, setNowMs] = useState<number | null>(null);
  useEffect(() => {
    const el = audio.current;
    if (!el) return;
    const tick = () => setNowMs(el.currentTime * 1000);
    el.addEventListener('timeupdate', tick);
    return () => el.removeEventListener('timeupdate', tick);
  }, [c.recording?.url]);

  const seek = (t: Turn) => {
    const el = audio.current;
    if (!el || !c.recording) return;
    el.currentTime = (t.seekMs + c.recording.offsetMs) / 1000;
    void el.play();
  };
  const playing = nowMs === null ? -1 : c.turns.reduce((hit, t, i) => (t.seekMs <= nowMs ? i : hit), -1);
  const calls = new Map(c.toolCalls.map((t) => [t.id, t]));

  return (
    <div>
      <div class="page-head">
        <div>
          <a class="back" href={href('/conversations')}>
            ← Conversations
          </a>
          <h1>
            Conversation <code>{shortId(c.id)}</code> <OutcomeBadge outcome={c.outcome} />
          </h1>
        </div>
      </div>
      <dl class="facts">
        <Fact k="Agent" v={<a href={href('/conversations', { agent: c.agent })}>{c.agent}</a>} />
        <Fact k="Door" v={`${c.door} · ${c.direction}`} />
        <Fact k="Caller" v={c.caller ?? '—'} />
        <Fact k="Started" v={dateTime(c.startedAt)} />
        <Fact k="Duration" v={duration(c.durationMs)} />
        <Fact k="Ended" v={c.endReason ?? (c.endedAt ? '—' : 'still open')} />
        {c.call && <Fact k="Call" v={<span title={c.call.sid}>{c.call.outcome ?? 'unknown'}{c.call.answeredBy ? ` (${c.call.answeredBy})` : ''}{c.call.campaignId ? <> · <a href={href(`/campaigns/${c.call.campaignId}`)}>campaign</a></> : ''}</span>} />}
        <Fact k="Est. cost" v={c.costUsd === null ? '—' : `$${c.costUsd.toFixed(4)}`} />
        <Fact k="Agent version" v={<code>{c.agentVersion.slice(0, 12)}</code>} />
      </dl>
      <div class="split">
        <div class="transcript">
          {c.turns.map((t, i) => (
            <TurnRow
              turn={t}
              previous={c.turns[i - 1]}
              playing={i === playing}
              canSeek={!!c.recording}
              onSeek={() => seek(t)}
              calls={t.toolCalls.map((id) => calls.get(id)!).filter(Boolean)}
            />
          ))}
          {!c.turns.length && <div class="empty">No turns recorded.</div>}
        </div>
        <aside class="side">
          <AnalysisCard analysis={c.analysis} ended={!!c.endedAt} />
          <Card title="Recording">
            {c.recording ? (
              <>
                <audio ref={audio} controls preload="metadata" src={c.recording.url} />
                <div class="muted small">
                  Stereo: caller left, agent right · {duration(c.recording.durationMs)}. Click a line to hear it.
                </div>
              </>
            ) : (
              <div class="muted small">No recording. Typed conversations have none; voice conversations are recorded when the server has PARLEY_RECORDINGS_DIR set.</div>
            )}
          </Card>
          <Card title="Lead">{c.lead ? <Fields fields={c.lead} /> : <div class="muted">No lead saved.</div>}</Card>
          <Card title="Booking">
            {c.bookings.length ? (
              c.bookings.map((b) => (
                <div class="booking">
                  <div class="strong">{new Date(b.start).toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'short', timeZone: b.timeZone })}</div>
                  <div class="muted small">
                    {b.timeZone} · {b.provider} · {b.status}
                  </div>
                  <Fields fields={{ name: b.attendee.name, email: b.attendee.email, ...(b.attendee.company ? { company: b.attendee.company } : {}), 'their time zone': b.attendee.timeZone }} />
                  {b.url && (
                    <a href={b.url} target="_blank" rel="noreferrer">
                      Open in {b.provider}
                    </a>
                  )}
                </div>
              ))
            ) : (
              <div class="muted">No booking.</div>
            )}
          </Card>
          {c.errors.length > 0 && (
            <Card title="Errors" class="danger">
              {c.errors.map((e) => (
                <div class="error-row">
                  <div class="small muted">
                    {new Date(e.at).toLocaleTimeString()} · {e.where}
                  </div>
                  <div>{e.message}</div>
                </div>
              ))}
            </Card>
          )}
        </aside>
      </div>
    </div>
  );
}

function TurnRow({ turn: t, previous, playing, canSeek, onSeek, calls }: { turn: Turn; previous?: Turn; playing: boolean; canSeek: boolean; onSeek: () => void; calls: NonNullable<ConversationDetail['toolCalls']> }) {
  const heard = t.heardText ?? t.text;
  const unheard = t.interrupted && t.text.startsWith(heard) ? t.text.slice(heard.length) : '';
  // Knowledge is retrieved for the caller's words and used by the answer that follows.
  const knowledge = t.role === 'agent' && previous?.role === 'caller' ? previous.knowledge : [];
  return (
    <div class={`turn ${t.role} ${playing ? 'playing' : ''}`}>
      {calls.map((call) => (
        <ToolCallCard call={call} />
      ))}
      <div class={`line ${canSeek ? 'seekable' : ''}`} onClick={canSeek ? onSeek : undefined} title={canSeek ? 'Play from here' : undefined}>
        <span class="who">{t.role === 'agent' ? 'Agent' : 'Caller'}</span>
        <span class="at">{clock(t.atMs)}</span>
        <span class="text">
          {heard}
          {unheard && <s class="unheard" title="generated but not heard: the caller interrupted">{unheard}</s>}
          {t.interrupted && <span class="badge warn">interrupted</span>}
          {t.grounding === 'declined' && <span class="badge warn">declined: not in the documents</span>}
          {t.role === 'caller' && t.grounding === 'no-match' && <span class="badge muted-badge">no knowledge matched</span>}
        </span>
      </div>
      {(knowledge.length > 0 || t.waterfall.length > 0) && (
        <div class="turn-extra">
          {knowledge.length > 0 && (
            <details>
              <summary>Knowledge used ({knowledge.length})</summary>
              <ul class="hits">
                {knowledge.map((h) => (
                  <li>
                    <span>{h.source}</span>
                    {h.heading && <span class="muted"> › {h.heading}</span>}
                    <span class="muted small"> · score {h.score.toFixed(2)}</span>
                  </li>
                ))}
              </ul>
            </details>
          )}
          {t.waterfall.length > 0 && (
            <details open={t.waterfall.some((b) => b.stage === 'first-audio')}>
              <summary>Latency{latencySummary(t)}</summary>
              <Waterfall bars={t.waterfall} />
            </details>
          )}
        </div>
      )}
    </div>
  );
}

function latencySummary(t: Turn): string {
  const v2v = t.latency?.voiceToVoiceMs;
  if (typeof v2v === 'number') return ` · ${Math.round(v2v)} ms voice to voice`;
  const first = t.latency?.llmFirstTokenMs;
  return typeof first === 'number' ? ` · first words after ${Math.round(first)} ms` : '';
}

function Fact({ k, v }: { k: string; v: ComponentChildren }) {
  return (
    <div>
      <dt>{k}</dt>
      <dd>{v}</dd>
    </div>
  );
}

function Fields({ fields }: { fields: Record<string, unknown> }) {
  return (
    <dl class="fields">
      {Object.entries(fields).map(([k, v]) => (
        <div>
          <dt>{k}</dt>
          <dd>{typeof v === 'string' ? v : <Json value={v} />}</dd>
        </div>
      ))}
    </dl>
  );
}
