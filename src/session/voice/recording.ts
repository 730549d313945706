import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StereoRecording } from '../../audio/stereo-recording.ts';
import { encodeWav } from '../../audio/wav.ts';
import type { Conversation } from '../conversation.ts';

/** Collects a voice conversation's audio (caller left, agent right, aligned in time) and saves it as one WAV. */
export class ConversationRecording {
  #stereo = new StereoRecording(16000);
  #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The `onAudio` hook of a VoiceSession. */
  readonly onAudio = (who: 'caller' | 'agent', pcm: Int16Array, sampleRate: number, atMs: number): void => {
    this.#stereo.add(who, pcm, sampleRate, atMs);
  };

  /** Writes `<dir>/<conversation id>.wav` and records where it is. */
  async save(conversation: Conversation): Promise<string> {
    const durationMs = this.#stereo.durationMs;
    const pcm = this.#stereo.finish();
    await mkdir(this.#dir, { recursive: true });
    const path = join(this.#dir, `${conversation.id}.wav`);
    await writeFile(path, encodeWav(pcm, { sampleRate: 16000, channels: 2 }));
    await conversation.noteRecording(path, durationMs);
    return path;
  }
}
