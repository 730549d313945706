import type { EndReason } from '../store/record-types.ts';
import { WebChannel, type WebSocketLike } from '../channels/web/socket.ts';
import type { LoadedAgent } from './agents.ts';
import { newConversation, type ServerContext } from './context.ts';
import { runVoiceConversation } from './voice-conversation.ts';
import { errorText } from '../util/error-text.ts';

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
 * mode the browser starts — text (the Conversation directly, replies streamed as agent_text) or
 * voice (a VoiceSession). Returns when the session is over and its record written.
 */
export function runWebSession(socket: WebSocketLike, d: WebSessionDeps, origin: string): { done: Promise<void>; abort: () => void; conversationId: string } {
  const { ctx } = d;
  const { agent } = d.loaded;
  const ac = new AbortController();
  const conversation = newConversation(ctx, d.loaded, { channel: 'web', caller: origin || null });

  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  let texting: Promise<void> = Promise.resolve();
  let started = false;

  const channel = new WebChannel(socket, {
    outputSampleRate: ctx.outputSampleRate,
    onMessage: (m) => {
      if (m.type === 'start') {
        started = true;
        if (m.mode === 'text') texting = texting.then(runText); // typed turns wait for the first message
        else void runVoice();
      } else if (m.type === 'text') {
        if (channel.mode !== 'text') return channel.send({ type: 'error', message: 'typed turns need a session started with mode "text"' });
        texting = texting.then(() => textTurn(m.text));
      } else if (m.type === 'end' && channel.mode === 'text') {
        texting = texting.then(() => endText('caller left'));
      } else if (m.type === 'end' && !channel.mode) channel.close('caller left');
    },
    onClose: () => {
      // The id went out in `ready`: a socket that never started still leaves its record.
      if (!started && d.recordUnstarted?.() === false) return finish();
      if (!started) return void conversation.end('no start').catch(fail).finally(finish);
      ac.abort();
      if (channel.mode === 'text') texting = texting.then(() => endText('caller left'));
    },
  });
  channel.send({ type: 'ready', sampleRate: ctx.outputSampleRate, conversationId: conversation.id });

  const fail = (e: unknown) => {
    ctx.log(`session ${conversation.id}: ${errorText(e)}`);
    channel.send({ type: 'error', message: errorText(e) });
  };

  async function runText(): Promise<void> {
    try {
      const first = await conversation.start();
      channel.send({ type: 'agent_text', text: first, final: true });
      channel.send({ type: 'state', state: 'listening' });
      // limits.maxDurationSec holds for typed conversations too: the turn in flight is cut off.
      const limit = setTimeout(() => {
        ac.abort();
        texting = texting.then(() => endText('time limit'));
      }, agent.config.limits.maxDurationSec * 1000);
      void done.then(() => clearTimeout(limit));
    } catch (e) {
      fail(e);
      channel.fail(1011, 'could not start the conversation');
    }
  }

  async function textTurn(text: string): Promise<void> {
    if (conversation.ended || ac.signal.aborted) return;
    channel.send({ type: 'transcript', role: 'caller', text, final: true });
    channel.send({ type: 'state', state: 'thinking' });
    let reply = '';
    try {
      for await (const out of conversation.reply(text, { signal: ac.signal })) {
        if (out.type === 'text') {
          reply += out.text;
          channel.send({ type: 'agent_text', text: out.text, final: false });
        } else if (out.type === 'tool') channel.send({ type: 'tool', name: out.name });
      }
    } catch (e) {
      if (!ac.signal.aborted) fail(e);
    }
    channel.send({ type: 'agent_text', text: reply, final: true });
    if (conversation.ended) await endText('agent ended');
    else channel.send({ type: 'state', state: 'listening' });
  }

  let textEnded = false;
  async function endText(reason: EndReason): Promise<void> {
    if (textEnded) return;
    textEnded = true;
    await conversation.end(reason).catch(fail);
    channel.send({ type: 'end', reason });
    channel.close(reason);
    finish();
  }

  async function runVoice(): Promise<void> {
    try {
      const maxDurationSec = Math.max(1, agent.config.limits.maxDurationSec - (performance.now() - (d.openedAt ?? performance.now())) / 1000);
      await runVoiceConversation({ conversation, channel, speech: ctx.speech, recordings: ctx.recordings, signal: ac.signal, maxDurationSec });
    } catch (e) {
      fail(e);
      channel.fail(1011, 'voice session failed');
    } finally {
      finish();
    }
  }

  return { done, abort: () => ac.abort(), conversationId: conversation.id };
}
