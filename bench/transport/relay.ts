import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { seededRandom } from '../../src/testing/seeded-random.ts';

// Userspace network impairment (this machine's kernel has no netem): a UDP relay and a TCP relay
// that delay every packet by a random one-way delay, and lose some.
//
// UDP (WebRTC through TURN): each datagram is delayed independently (so packets reorder, as on a
// real path) or dropped with probability `loss`.
// TCP (the WebSocket): bytes cannot be dropped from a stream, so a "lost" segment is modelled by
// what TCP does about it — the segment, and everything behind it (head-of-line blocking), arrives
// late by a retransmission: one round trip plus three 20 ms packet times for fast retransmit, or
// Linux's 200 ms minimum RTO when the stream is too sparse for three duplicate ACKs. Order is kept.

export interface Impairment {
  /** Probability a packet is lost (0–1). */
  loss: number;
  /** One-way delay, uniform between these (ms). */
  minDelayMs: number;
  maxDelayMs: number;
  /** Seeded randomness, so runs are comparable. */
  seed?: number;
}

/** Bytes each way through a relay. */
export interface Counted {
  up: number;
  down: number;
  packetsUp: number;
  packetsDown: number;
  droppedUp: number;
  droppedDown: number;
}

const delayOf = (i: Impairment, rnd: () => number) => i.minDelayMs + rnd() * (i.maxDelayMs - i.minDelayMs);

/** UDP relay: clients send to `port`; each client gets its own upstream socket to `target`. */
export async function udpRelay(target: { host: string; port: number }, imp: Impairment): Promise<{ port: number; counted: Counted; close(): void }> {
  const rnd = seededRandom(imp.seed ?? 1);
  const counted: Counted = { up: 0, down: 0, packetsUp: 0, packetsDown: 0, droppedUp: 0, droppedDown: 0 };
  const front = createSocket('udp4');
  const upstreams = new Map<string, UdpSocket>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (fn: () => void) => {
    const t = setTimeout(() => (timers.delete(t), fn()), delayOf(imp, rnd));
    timers.add(t);
  };
  front.on('message', (msg: Buffer, from: RemoteInfo) => {
    const key = `${from.address}:${from.port}`;
    let up = upstreams.get(key);
    if (!up) {
      const sock = createSocket('udp4');
      up = sock;
      upstreams.set(key, sock);
      sock.on('message', (back: Buffer) => {
        counted.packetsDown++;
        if (rnd() < imp.loss) return void counted.droppedDown++;
        counted.down += back.length;
        later(() => front.send(back, from.port, from.address));
      });
      sock.bind(0, '127.0.0.1');
    }
    counted.packetsUp++;
    if (rnd() < imp.loss) return void counted.droppedUp++;
    counted.up += msg.length;
    const sock = up;
    later(() => sock.send(msg, target.port, target.host));
  });
  await new Promise<void>((r) => front.bind(0, '127.0.0.1', r));
  return {
    port: front.address().port,
    counted,
    close() {
      for (const t of timers) clearTimeout(t);
      for (const s of upstreams.values()) s.close();
      front.close();
    },
  };
}

/** TCP relay: every connection to `port` is piped to `target`, impaired both ways. */
export async function tcpRelay(target: { host: string; port: number }, imp: Impairment): Promise<{ port: number; counted: Counted; close(): void }> {
  const rnd = seededRandom((imp.seed ?? 1) + 7);
  const counted: Counted = { up: 0, down: 0, packetsUp: 0, packetsDown: 0, droppedUp: 0, droppedDown: 0 };
  const sockets = new Set<Socket>();
  const rttMs = imp.minDelayMs + imp.maxDelayMs; // the mean round trip
  /** Pipes `from` to `to`, each chunk delayed, order kept, a "lost" one held for its retransmission. */
  const pipe = (from: Socket, to: Socket, dir: 'up' | 'down') => {
    let lastAt = 0;
    let lastChunkAt = 0;
    from.on('data', (chunk: Buffer) => {
      const now = performance.now();
      // Large writes are several segments; each may be lost.
      const segments = Math.max(1, Math.ceil(chunk.length / 1448));
      let extra = 0;
      for (let s = 0; s < segments; s++) {
        if (rnd() < imp.loss) {
          // Fast retransmit needs three more segments within an RTO; a sparse stream waits for the RTO.
          const dense = now - lastChunkAt < 30 || segments - s > 3;
          extra = Math.max(extra, dense ? rttMs + 60 : Math.max(200, rttMs * 2));
          counted[dir === 'up' ? 'droppedUp' : 'droppedDown']++;
        }
      }
      lastChunkAt = now;
      counted[dir === 'up' ? 'packetsUp' : 'packetsDown'] += segments;
      counted[dir] += chunk.length;
      const at = Math.max(lastAt, now + delayOf(imp, rnd) + extra);
      lastAt = at;
      setTimeout(() => to.writable && to.write(chunk), at - now);
    });
    from.on('end', () => setTimeout(() => to.end(), Math.max(0, lastAt - performance.now()) + 1));
    from.on('error', () => to.destroy());
  };
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    pipe(client, upstream, 'up');
    pipe(upstream, client, 'down');
    client.on('close', () => (sockets.delete(client), upstream.destroy()));
    upstream.on('close', () => (sockets.delete(upstream), client.destroy()));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    counted,
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}
