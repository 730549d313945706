import { createResampler } from '../audio/resample.ts';
import { WebChannel } from '../channels/web/socket.ts';
import { Conversation } from '../session/conversation.ts';
import { ConversationRecording } from '../session/voice/recording.ts';
import { VoiceSession, type SpeechDetector } from '../session/voice/voice-session.ts';
import type { SpeechToText, TextToSpeech } from '../speech/types.ts';
import type { Store } from '../store/store.ts';
import type { LoadedAgent } from './agents.ts';
import type { Metrics } from './metrics.ts';
import type { WebSocketLike } from '../channels/web/socket.ts';
import type { Agent } from '../agent/load.ts';

/** Ears, mouth and VAD for one voice session; `close` (when present) releases native resources. */
export interface SessionSpeech {
  stt: SpeechToText;
  tts: TextToSpeech;
  vad: SpeechDetector & { close?(): void };
}
export type SpeechFactory = (agent: Agent) => SessionSpeech | Promise<SessionSpeech>;

export interface WebSessionDeps {
  loaded: LoadedAgent;
  store: Store;
  env: NodeJS.ProcessEnv;
  speech: SpeechFactory;
  metrics: Metrics;
  outputSampleRate: 16000 | 24000;
  recordingsDir?: string;
  log: (line: string) => void;
}

/**
 * One browser session on an accepted socket: announces `ready`, then runs the conversation in the
 * mode the browser starts — text (the Conversation directly, replies streamed as agent_text) or
 * voice (a VoiceSession). Returns when the session is over and its record written.
 */
export function runWebSession(socket: WebSocketLike, d: WebSessionDeps, origin: string): { done: Promise<void>; abort: () => void } {
  const { agent, models, calendar } = d.loaded;
  const ac = new AbortController();
  const conversation = new Conversation({
    agent,
    store: d.store,
    models,
    calendar,
    env: d.env,
    channel: 'web',
    caller: origin || null,
    onEvent: (_, e) => {
      if (e.type === 'turn.caller') d.metrics.turnsTotal++;
    },
  });
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  let texting: Promise<void> = Promise.resolve();
  let started = false;

  const channel = new WebChannel(socket, {
    outputSampleRate: d.outputSampleRate,
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
      if (!started) return finish();
      ac.abort();
      if (channel.mode === 'text') texting = texting.then(() => endText('caller left'));
    },
  });
  channel.send({ type: 'ready', sampleRate: d.outputSampleRate, conversationId: conversation.id });

  const fail = (e: unknown) => {
    d.log(`session ${conversation.id}: ${e instanceof Error ? e.message : String(e)}`);
    channel.send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  };

  async function runText(): Promise<void> {
    try {
      const first = await conversation.start();
      channel.send({ type: 'agent_text', text: first, final: true });
      channel.send({ type: 'state', state: 'listening' });
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
  async function endText(reason: string): Promise<void> {
    if (textEnded) return;
    textEnded = true;
    await conversation.end(reason).catch(fail);
    channel.send({ type: 'end', reason });
    channel.close(reason);
    finish();
  }

  async function runVoice(): Promise<void> {
    let speech: SessionSpeech | undefined;
    try {
      speech = await d.speech(agent);
      const { config } = agent;
      const recording = d.recordingsDir ? new ConversationRecording(d.recordingsDir) : undefined;
      const session = new VoiceSession({
        conversation,
        channel,
        stt: speech.stt,
        tts: speech.tts,
        vad: speech.vad,
        resampler: createResampler,
        voice: { voiceId: config.voice.voiceId, speed: config.voice.speed, language: config.persona.language },
        language: config.persona.language,
        turn: config.listen.turn,
        silenceReprompt: config.listen.silenceReprompt,
        silenceEnd: config.listen.silenceEnd,
        onAudio: recording?.onAudio,
      });
      await session.run(ac.signal);
      if (recording) await recording.save(conversation).catch(fail);
    } catch (e) {
      fail(e);
      await conversation.end('error').catch(() => {});
      channel.fail(1011, 'voice session failed');
    } finally {
      speech?.vad.close?.();
      finish();
    }
  }

  return { done, abort: () => ac.abort() };
}
