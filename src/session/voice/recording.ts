import { StereoRecording } from '../../audio/stereo-recording.ts';
import { encodeWav } from '../../audio/wav.ts';
import { DirectoryRecordings } from '../../store/recordings/directory.ts';
import type { RecordingStore } from '../../store/recordings/types.ts';
import type { Conversation } from '../conversation.ts';

// A hung bucket must not keep a finished call "live" forever (drain waits for it).
const SAVE_TIMEOUT_MS = 120_000;

/** Collects a voice conversation's audio (caller left, agent right, aligned in time) and saves it as one WAV. */
export class ConversationRecording {
  #stereo = new StereoRecording(16000);
  #store: RecordingStore;

  /** `store` is where the WAV goes; a folder path is shorthand for a DirectoryRecordings there. */
  constructor(store: RecordingStore | string) {
    this.#store = typeof store === 'string' ? new DirectoryRecordings(store) : store;
  }

  /** The `onAudio` hook of a VoiceSession. */
  readonly onAudio = (who: 'caller' | 'agent', pcm: Int16Array, sampleRate: number, atMs: number): void => {
    this.#stereo.add(who, pcm, sampleRate, atMs);
  };

  /** Saves `<conversation id>.wav` in the store and records its reference (a path, or s3://…). */
  async save(conversation: Conversation, signal: AbortSignal = AbortSignal.timeout(SAVE_TIMEOUT_MS)): Promise<string> {
    const durationMs = this.#stereo.durationMs;
    const pcm = this.#stereo.finish();
    const ref = await this.#store.save(`${conversation.id}.wav`, encodeWav(pcm, { sampleRate: 16000, channels: 2 }), signal);
    await conversation.noteRecording(ref, durationMs);
    return ref;
  }
}
