import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Channel } from '../../src/channels/channel.ts';
import type { WebSocketLike } from '../../src/channels/socket-limits.ts';

// The channel contract kit (issue 13 §5): every door — web socket, Twilio Media Stream, the
// in-memory fake — runs through the same cases. A door is driven through a harness that plays the
// caller's side of its protocol: it speaks, plays out what it received (reporting playout the way
// that protocol does), obeys `clear`, and can send a malformed message.

/** One door under test, with the caller's side of its protocol. */
export interface ChannelHarness {
  channel: Channel;
  /** The caller sends one frame of audio at the door's input rate. */
  speak(pcm: Int16Array): void;
  /** What audio() should yield for `pcm` (μ-law is lossy). */
  received(pcm: Int16Array): Int16Array;
  hangUp(): void;
  /** The caller's side plays up to `ms` of the agent audio it holds, and reports it as its protocol does. */
  playOut(ms: number): void;
  /** Messages (audio, events) the door has sent to the caller's side so far. */
  sentCount(): number;
  /** Every close the door made, in order: its reason (and code, for socket doors). */
  closes(): { code?: number; reason: string }[];
  /** Sends a message the protocol does not allow; absent for a door with no wire. */
  malformed?: () => void;
}

/** A socket for doors that need one: records what the door sends and closes; the test injects messages. */
export class FakeSocket implements WebSocketLike {
  readonly sent: (string | Uint8Array)[] = [];
  readonly closes: { code?: number; reason: string }[] = [];
  #onMessage: ((data: Buffer, isBinary: boolean) => void)[] = [];
  #onClose: ((code: number, reason: Buffer) => void)[] = [];
  #closed = false;

  send(data: string | Uint8Array): void {
    this.sent.push(data);
  }

  close(code?: number, reason = ''): void {
    this.closes.push({ code, reason });
    if (this.#closed) return;
    this.#closed = true;
    // ws emits `close` once the closing handshake is over: later, not inside close().
    queueMicrotask(() => this.#onClose.forEach((l) => l(code ?? 1005, Buffer.from(reason))));
  }

  on(event: 'message' | 'close', listener: never): this {
    if (event === 'message') this.#onMessage.push(listener);
    else this.#onClose.push(listener);
    return this;
  }

  /** The caller's side sends a frame. */
  receive(data: string | Buffer, isBinary = typeof data !== 'string'): void {
    for (const l of this.#onMessage) l(Buffer.isBuffer(data) ? data : Buffer.from(data), isBinary);
  }

  /** The JSON text messages sent, parsed. */
  json(): Record<string, unknown>[] {
    return this.sent.filter((d): d is string => typeof d === 'string').map((d) => JSON.parse(d) as Record<string, unknown>);
  }
}

/** 200 ms of agent audio at `rate` (a whole number of 20 ms frames). */
const agentAudio = (rate: number, ms = 200) => new Int16Array((rate * ms) / 1000).fill(1000);

async function drain(audio: AsyncIterable<Int16Array>): Promise<Int16Array[]> {
  const frames: Int16Array[] = [];
  for await (const f of audio) frames.push(f);
  return frames;
}

/** Registers the contract's cases for one door; `make` builds a fresh harness per case. */
export function channelContract(name: string, make: () => ChannelHarness): void {
  describe(`channel contract: ${name}`, () => {
    it('delivers the caller’s audio in order, and ends it when the caller hangs up', async () => {
      const h = make();
      const frames = [1, 2, 3].map((k) => new Int16Array(h.channel.inputSampleRate / 50).map((_, i) => (k * 1000 + i * 7) % 8000));
      const heard = drain(h.channel.audio());
      for (const f of frames) h.speak(f);
      h.hangUp();
      assert.deepEqual(await heard, frames.map((f) => h.received(f)));
    });

    it('counts as heard only what the caller played: nothing before playout, never more than played, all of it once played', () => {
      const h = make();
      const rate = h.channel.outputSampleRate;
      h.channel.play(agentAudio(rate));
      assert.equal(h.channel.heardMs(), 0, 'sent is not heard');
      h.playOut(100);
      const partly = h.channel.heardMs();
      assert.ok(partly > 0 && partly <= 100, `part of it heard: ${partly} ms of 100 played`);
      h.playOut(1000);
      assert.equal(h.channel.heardMs(), 200, 'all of it, and no more than was sent');
    });

    it('clear drops what was queued: unplayed audio is never counted, and new audio counts from there', () => {
      const h = make();
      const rate = h.channel.outputSampleRate;
      h.channel.play(agentAudio(rate));
      h.playOut(60);
      const before = h.channel.heardMs();
      h.channel.clear();
      h.playOut(1000);
      assert.equal(h.channel.heardMs(), before, 'nothing after the clear was heard');
      h.channel.play(agentAudio(rate, 100));
      h.playOut(1000);
      assert.equal(h.channel.heardMs(), before + 100);
    });

    it('drops what is sent or played after close', () => {
      const h = make();
      h.channel.close('agent ended');
      const sent = h.sentCount();
      h.channel.send({ type: 'state', state: 'listening' });
      h.channel.play(agentAudio(h.channel.outputSampleRate));
      h.channel.clear();
      assert.equal(h.sentCount(), sent);
    });

    it('closes once, keeping the first reason, and the caller’s audio ends', async () => {
      const h = make();
      const heard = drain(h.channel.audio());
      h.channel.close('agent ended');
      h.channel.close('agent ended');
      h.channel.close('something else');
      assert.deepEqual(h.closes().map((c) => c.reason), ['agent ended']);
      assert.deepEqual(await heard, []);
    });

    it('a malformed message closes that session, with a reason, and no other', { skip: make().malformed ? false : 'this door has no wire protocol' }, async () => {
      const h = make();
      const other = make();
      const heard = drain(h.channel.audio());
      h.malformed!();
      assert.equal(h.closes().length, 1);
      assert.equal(h.closes()[0]!.code, 1008);
      assert.ok(h.closes()[0]!.reason.length > 0, 'the reason is given');
      assert.deepEqual(await heard, []);
      const sent = other.sentCount();
      other.channel.send({ type: 'state', state: 'listening' });
      other.channel.play(agentAudio(other.channel.outputSampleRate));
      assert.ok(other.sentCount() > sent, 'the other session still talks');
      assert.deepEqual(other.closes(), []);
    });
  });
}
