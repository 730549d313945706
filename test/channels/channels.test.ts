import { mulawDecode, mulawEncode } from '../../src/audio/mulaw.ts';
import { TwilioChannel } from '../../src/channels/twilio/media-stream.ts';
import { WebChannel } from '../../src/channels/web/socket.ts';
import { MemoryChannel } from '../../src/testing/voice.ts';
import { channelContract, FakeSocket, type ChannelHarness } from './contract.ts';

// The web socket, the Twilio Media Stream and the in-memory fake, through the same contract.

channelContract('web socket (widget, sandbox)', (): ChannelHarness => {
  const socket = new FakeSocket();
  const channel = new WebChannel(socket, { outputSampleRate: 16000, onMessage: () => {}, now: () => 0 });
  socket.receive(JSON.stringify({ type: 'start', mode: 'voice' }));
  // The browser: agent audio waits in its player until played; `clear` empties the player; it reports `played` (cumulative ms).
  let seen = 0;
  let queuedMs = 0;
  let playedMs = 0;
  const follow = () => {
    for (; seen < socket.sent.length; seen++) {
      const m = socket.sent[seen]!;
      if (typeof m !== 'string') queuedMs += m.byteLength / 2 / 16;
      else if ((JSON.parse(m) as { type: string }).type === 'clear') queuedMs = 0;
    }
  };
  return {
    channel,
    speak: (pcm) => socket.receive(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength), true),
    received: (pcm) => pcm,
    hangUp: () => socket.receive(JSON.stringify({ type: 'end' })),
    playOut(ms) {
      follow();
      const step = Math.min(ms, queuedMs);
      queuedMs -= step;
      playedMs += step;
      socket.receive(JSON.stringify({ type: 'played', ms: playedMs }));
    },
    sentCount: () => socket.sent.length,
    closes: () => socket.closes,
    malformed: () => socket.receive('{"type": "start", "mode": '),
  };
});

channelContract('Twilio Media Stream (phone)', (): ChannelHarness => {
  const socket = new FakeSocket();
  const streamSid = 'MZ00000000000000000000000000000001';
  // Everything is sent at once (lead far ahead) so playout is the harness's to drive.
  const channel = new TwilioChannel(socket, { onStart: () => {}, leadMs: 1e9, now: () => 0 });
  socket.receive(JSON.stringify({ event: 'start', streamSid, start: { streamSid, callSid: 'CA1', accountSid: 'AC1', customParameters: {} } }));
  // Twilio: media plays 20 ms a frame; a mark is echoed when playback passes it; `clear` drops the media and echoes the marks at once.
  let seen = 0;
  const queue: ({ ms: number } | { mark: string })[] = [];
  const echo = (name: string) => socket.receive(JSON.stringify({ event: 'mark', streamSid, mark: { name } }));
  const follow = () => {
    for (; seen < socket.sent.length; seen++) {
      const m = JSON.parse(String(socket.sent[seen])) as { event: string; mark?: { name: string } };
      if (m.event === 'media') queue.push({ ms: 20 });
      else if (m.event === 'mark') queue.push({ mark: m.mark!.name });
      else if (m.event === 'clear') for (const q of queue.splice(0)) if ('mark' in q) echo(q.mark);
    }
  };
  const echoLeadingMarks = () => {
    while (queue[0] && 'mark' in queue[0]) echo((queue.shift() as { mark: string }).mark);
  };
  return {
    channel,
    speak: (pcm) => socket.receive(JSON.stringify({ event: 'media', streamSid, media: { track: 'inbound', payload: Buffer.from(mulawEncode(pcm)).toString('base64') } })),
    received: (pcm) => mulawDecode(mulawEncode(pcm)),
    hangUp: () => socket.receive(JSON.stringify({ event: 'stop', streamSid, stop: { callSid: 'CA1' } })),
    playOut(ms) {
      follow();
      for (let left = ms; left >= 20 && queue.some((q) => 'ms' in q); left -= 20) {
        echoLeadingMarks();
        queue.shift();
        echoLeadingMarks();
      }
    },
    sentCount: () => socket.sent.length,
    closes: () => socket.closes,
    malformed: () => socket.receive(JSON.stringify({ event: 'media', streamSid, media: { payload: 42 } })),
  };
});

channelContract('in-memory fake (parley/testing)', (): ChannelHarness => {
  let now = 0;
  const channel = new MemoryChannel({ now: () => now });
  return {
    channel,
    speak: (pcm) => channel.pushCallerAudio(pcm),
    received: (pcm) => pcm,
    hangUp: () => channel.hangUp(),
    playOut(ms) {
      now += ms;
    },
    sentCount: () => channel.events.length + channel.log.length,
    closes: () => (channel.closedWith === undefined ? [] : [{ reason: channel.closedWith }]),
  };
});
