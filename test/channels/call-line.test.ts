import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CallLine } from '../../src/channels/twilio/call-line.ts';
import { TwilioChannel } from '../../src/channels/twilio/media-stream.ts';
import { FakeSocket } from './contract.ts';

// One phone call across Media Streams: the session's door survives a stream replaced on purpose
// (new TwiML), and ends with the call otherwise.

function stream(callSid = 'CA1') {
  const socket = new FakeSocket();
  const channel = new TwilioChannel(socket, { onStart: () => {}, onDtmf: (d) => line?.press(d) });
  let line: CallLine | undefined;
  socket.receive(JSON.stringify({ event: 'start', start: { streamSid: `MZ${Math.random()}`, callSid, customParameters: {} } }));
  const media = () => socket.receive(JSON.stringify({ event: 'media', media: { track: 'inbound', payload: Buffer.alloc(160, 0xff).toString('base64') } }));
  const stop = () => socket.receive(JSON.stringify({ event: 'stop' }));
  const key = (digit: string) => socket.receive(JSON.stringify({ event: 'dtmf', dtmf: { digit } }));
  return { channel, socket, media, stop, key, bind: (l: CallLine) => (line = l) };
}

async function frames(line: CallLine, n: number): Promise<number> {
  let got = 0;
  for await (const _ of line.audio()) if (++got === n) break;
  return got;
}

const keypad = { interDigitMs: 1000, maxDigits: 20 };

describe('CallLine: one call across streams', () => {
  it('a stream that ends unexpected ends the call (a hang-up)', async () => {
    const a = stream();
    let over = '';
    const line = new CallLine(a.channel, { keypad, onOver: (r) => (over = r) });
    a.stop();
    for await (const _ of line.audio());
    assert.equal(over, 'caller hung up');
    assert.equal(line.over, true);
    assert.equal(line.transferred(), false);
  });

  it('a stream replaced on purpose: audio pauses and goes on from the next stream; keys pending are handed over first', async () => {
    const a = stream();
    const keys: string[] = [];
    const line = new CallLine(a.channel, { keypad });
    a.bind(line);
    line.onKeys((k) => keys.push(k));
    a.key('4');
    const back = line.expectStream(5000);
    assert.deepEqual(keys, ['4'], 'the pending key is one input before the stream changes');
    a.stop();
    assert.equal(line.between, true);
    const b = stream();
    assert.equal(line.attach(b.channel), true);
    await back;
    assert.equal(line.attach(stream().channel), false, 'a second stream is refused');
    b.media();
    b.media();
    assert.equal(await frames(line, 2), 2);
    assert.equal(line.over, false);
  });

  it('no stream back in time ends the call; a refused change keeps the stream', async () => {
    const a = stream();
    let over = '';
    const line = new CallLine(a.channel, { keypad, onOver: (r) => (over = r) });
    const lost = line.expectStream(10);
    await assert.rejects(lost, /the call ended \(no stream came back within 0 s\)/);
    assert.equal(over, 'no stream came back within 0 s');

    const c = stream('CA2');
    const kept = new CallLine(c.channel, { keypad });
    const refused = kept.expectStream(5000);
    assert.equal(kept.stay(), true);
    await assert.rejects(refused, /stayed on its stream/);
    c.media();
    assert.equal(await frames(kept, 1), 1, 'audio flows from the same stream again');
  });

  it('leave: the next stream end is a transfer, not a hang-up', async () => {
    const a = stream();
    let over = '';
    const line = new CallLine(a.channel, { keypad, onOver: (r) => (over = r) });
    line.leave();
    a.stop();
    for await (const _ of line.audio());
    assert.equal(over, 'transferred');
    assert.equal(line.transferred(), true);
  });
});
