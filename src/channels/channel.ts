// A door, seen from the session: bytes in, bytes out, a few events. Doors (web socket, Twilio,
// text) know their protocol; the session knows turns. Neither knows the other's insides.

/** Events the session sends to the caller's side (captions, state, end). */
export type ClientEvent =
  | { type: 'transcript'; role: 'caller'; text: string; final: boolean }
  | { type: 'agent_text'; text: string; final: boolean }
  | { type: 'state'; state: 'listening' | 'thinking' | 'speaking' }
  | { type: 'tool'; name: string }
  | { type: 'end'; reason: string }
  | { type: 'error'; message: string };

/** One conversation's door. */
export interface Channel {
  /** Sample rate of the caller's audio. */
  readonly inputSampleRate: number;
  /** Sample rate the door plays at (what `play` should be given). */
  readonly outputSampleRate: number;
  /** The caller's audio, mono PCM16, until the caller hangs up. */
  audio(): AsyncIterable<Int16Array>;
  /** Queues agent audio for playout, paced by the door. */
  play(pcm: Int16Array): void;
  /** Drops all queued agent audio at once (barge-in). */
  clear(): void;
  /** Milliseconds of agent audio the caller has actually heard since the door opened. */
  heardMs(): number;
  send(event: ClientEvent): void;
  close(reason: string): void;
  /** Doors where the caller can also type (the web widget): `listener` gets each typed turn of a voice session. */
  onTyped?(listener: (text: string) => void): void;
  /** Doors with a keypad (the phone): `listener` gets the keys of one input, e.g. "123#" (0-9 * # A-D). */
  onKeys?(listener: (keys: string) => void): void;
  /** Whether the caller's audio ended because the call was handed to a person (a phone transfer), not a hang-up. */
  transferred?(): boolean;
}
