import type { ClientEvent } from '../../channels/channel.ts';
import type { Conversation } from '../conversation.ts';
import { fillerFor } from '../fixed-lines.ts';
import type { SessionTimers } from './session-timers.ts';
import type { TextQueue } from './text-queue.ts';

/** A tool that has run this long without the model saying anything gets a filler line. */
const FILLER_AFTER_MS = 1500;

/** Where one reply's words and events go while the model writes it. */
export interface ReplyWriting {
  conversation: Conversation;
  words: TextQueue;
  signal: AbortSignal;
  timers: SessionTimers;
  /** The filler slipped in while a tool ran (not the model's words), once per reply. */
  filler: { said: string };
  send(event: ClientEvent): void;
  onFirstText(): void;
  /** A tool the model must call first (a keypad shortcut). */
  firstTool?: string;
}

/** Streams the model's reply to `text` into `words`; records (never swallows) what goes wrong; never rejects. */
export async function writeReply(text: string, w: ReplyWriting): Promise<void> {
  const { conversation, words, signal, timers, filler, send } = w;
  try {
    for await (const out of conversation.reply(text, { signal, firstTool: w.firstTool })) {
      if (out.type === 'text') {
        w.onFirstText();
        timers.cancel('filler');
        words.push(out.text);
        send({ type: 'agent_text', text: out.text, final: false });
      } else if (out.type === 'tool-start' && !filler.said) {
        const line = fillerFor(out.name, conversation.lines);
        if (line)
          timers.start('filler', FILLER_AFTER_MS, () => {
            filler.said = line;
            words.push(line);
          });
      } else if (out.type === 'tool') {
        timers.cancel('filler');
        send({ type: 'tool', name: out.name });
      }
    }
  } catch (e) {
    if (!signal.aborted) {
      conversation.noteError('session', e);
      send({ type: 'error', message: 'the agent could not answer that turn' });
    }
  } finally {
    timers.cancel('filler');
    words.close();
  }
}
