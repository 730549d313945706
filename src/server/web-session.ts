import { TextSession, type TextSessionEvent } from '../session/text-session.ts';
import { WebChannel, type WebSocketLike } from '../channels/web/socket.ts';
import type { RtcLink } from '../channels/web/rtc-link.ts';
import { RtcChannel } from '../channels/web/rtc-channel.ts';
import type { Channel } from '../channels/channel.ts';
import type { LoadedAgent } from './agents.ts';
import { newConversation, type ServerContext } from './context.ts';
import { runVoiceConversation } from './voice-conversation.ts';
import { errorText } from '../util/error-text.ts';

/** How long a `start` with audio "webrtc" waits for the server's side of the link to come up. */
const RTC_START_WAIT_MS = 5000;

export interface WebSessionDeps {
  loaded: LoadedAgent;
  ctx: ServerContext;
  /** When the socket opened (performance.now()): limits.maxDurationSec counts from there. */
  openedAt?: number;
  /** False when the door turned the session away at `start` (no seat): it leaves no record. */
  recordUnstarted?: () => boolean;
}

/**
 * One browser session on an accepted socket: announces `ready`, then runs the conversation in the
 * mode the browser starts — text (a TextSession, replies streamed as agent_text) or voice (a
 * VoiceSession). Returns when the session is over and its record written.
 */
export function runWebSession(socket: WebSocketLike, d: WebSessionDeps, origin: string): { done: Promise<void>; abort: () => void; conversationId: string } {
  const { ctx } = d;
  const { agent } = d.loaded;
  const ac = new AbortController();
  const conversation = newConversation(ctx, d.loaded, { channel: 'web', caller: origin || null });

  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  let text: TextSession | undefined;
  let started = false;
  /** The WebRTC connection the browser's `offer` opened, while it may still carry the call. */
  let link: RtcLink | undefined;
  let linking: Promise<RtcLink | undefined> | undefined;

  const channel = new WebChannel(socket, {
    outputSampleRate: ctx.outputSampleRate,
    onMessage: (m) => {
      if (m.type === 'offer') {
        linking = answer(m.sdp);
      } else if (m.type === 'start') {
        started = true;
        if (m.mode === 'text') void (dropLink(), runText());
        else if (m.audio === 'webrtc') void runVoiceOverRtc();
        else void (dropLink(), runVoice(channel));
      } else if (m.type === 'text') {
        if (text) return void text.say(m.text);
        // Voice mode: the widget's text box. Bounded like a typed turn in text mode.
        const max = agent.config.limits.maxTurnChars;
        const line = m.text.trim();
        if (line.length > max) return channel.send({ type: 'error', message: `a message may be at most ${max} characters (this one has ${line.length}); it was not sent` });
        if (!channel.typed(line)) channel.send({ type: 'error', message: 'the assistant is not listening yet; send it again in a moment' });
      } else if (m.type === 'end' && text) {
        void text.end('caller left');
      } else if (m.type === 'end' && !channel.mode) channel.close('caller left');
    },
    onPlayout: (rtp) => link?.reportPlayed(rtp),
    onClose: () => {
      dropLink();
      // The id went out in `ready`: a socket that never started still leaves its record.
      if (!started && d.recordUnstarted?.() === false) return finish();
      if (!started) return void conversation.end('no start').catch(fail).finally(finish);
      ac.abort();
      void text?.end('caller left');
    },
  });
  channel.send({ type: 'ready', sampleRate: ctx.outputSampleRate, conversationId: conversation.id, webrtc: ctx.webrtc.enabled, opus: true });

  /** Answers the browser's offer on the socket; a refused or failed offer leaves the browser on the socket. */
  async function answer(sdp: string): Promise<RtcLink | undefined> {
    if (!ctx.webrtc.enabled) return void channel.send({ type: 'answer', error: 'WebRTC is off on this server (PARLEY_WEBRTC=off); use the socket' });
    // werift (WebRTC, ~25 MB with its certificate libraries) loads with the first WebRTC call
    const { OfferError, RtcLink } = await import('../channels/web/rtc-link.ts');
    try {
      const made = await RtcLink.accept(sdp, { outputSampleRate: ctx.outputSampleRate, announce: ctx.webrtc.announce, portRange: ctx.webrtc.portRange });
      // The browser left, or started without WebRTC, while the answer was made.
      if (channel.closed || started) return void made.close();
      link = made;
      channel.send({ type: 'answer', sdp: made.answer });
      return made;
    } catch (e) {
      if (!(e instanceof OfferError)) ctx.log(`session ${conversation.id}: ${errorText(e)}`);
      channel.send({ type: 'answer', error: errorText(e) });
      return undefined;
    }
  }

  function dropLink(): void {
    link?.close();
    link = undefined;
  }

  const fail = (e: unknown) => {
    ctx.log(`session ${conversation.id}: ${errorText(e)}`);
    channel.send({ type: 'error', message: errorText(e) });
  };

  /** What is left of limits.maxDurationSec: it counts from the socket's opening, in both modes. */
  function remainingSec(): number {
    return Math.max(1, agent.config.limits.maxDurationSec - (performance.now() - (d.openedAt ?? performance.now())) / 1000);
  }

  /** Typed mode: the one text session (the same as `parley chat` and scenarios), its events as the protocol's. */
  async function runText(): Promise<void> {
    const limits = agent.config.limits;
    text = new TextSession({ conversation, maxDurationSec: remainingSec(), maxTurnChars: limits.maxTurnChars, sink: (e) => toDoor(e) });
    const ended = text.done.then((reason) => {
      channel.send({ type: 'end', reason });
      channel.close(reason);
      finish();
    });
    await text.start();
    await ended;
  }

  function toDoor(e: TextSessionEvent): void {
    if (e.type === 'caller') channel.send({ type: 'transcript', role: 'caller', text: e.text, final: true });
    else if (e.type === 'state') channel.send({ type: 'state', state: e.state });
    else if (e.type === 'text') channel.send({ type: 'agent_text', text: e.text, final: false });
    else if (e.type === 'agent-done') channel.send({ type: 'agent_text', text: e.text, final: true });
    else if (e.type === 'tool') channel.send({ type: 'tool', name: e.name });
    else if (e.type === 'error') {
      if (e.code === 'failed') ctx.log(`session ${conversation.id}: ${e.message}`);
      channel.send({ type: 'error', message: e.message });
    }
  }

  /** A voice session whose audio travels over the WebRTC link: it must be connected (the browser says so by starting). */
  async function runVoiceOverRtc(): Promise<void> {
    const made = await linking;
    const up = made && (await Promise.race([made.connected().then(() => true), new Promise<boolean>((r) => setTimeout(r, RTC_START_WAIT_MS, false).unref())]).catch(() => false));
    if (!made || !up || made !== link) {
      fail(new Error('the WebRTC connection is not up; start again without audio "webrtc"'));
      await conversation.end('error').catch(() => {});
      channel.fail(1011, 'WebRTC did not connect');
      return finish();
    }
    await runVoice(new RtcChannel(channel, made));
  }

  async function runVoice(door: Channel): Promise<void> {
    try {
      await runVoiceConversation({ conversation, channel: door, speech: ctx.speech, recordings: ctx.recordings, signal: ac.signal, maxDurationSec: remainingSec() });
    } catch (e) {
      fail(e);
      channel.fail(1011, 'voice session failed');
    } finally {
      dropLink();
      finish();
    }
  }

  const abort = () => {
    ac.abort();
    void text?.end('server stopped');
  };
  return { done, abort, conversationId: conversation.id };
}
