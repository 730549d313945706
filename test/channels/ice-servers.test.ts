import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RTCPeerConnection, useOPUS } from 'werift';
import { iceServersFor, turnCredentials, turnUsernameValid, webRtcSettings } from '../../src/channels/web/ice-servers.ts';
import { tempDir } from '../helpers/cli.ts';

// NAT traversal settings and TURN credentials under coturn's REST-API scheme: the format (checked
// against a value computed by openssl), the expiry, the settings' errors, and a real coturn
// (Debian `coturn`) that grants a relay to fresh credentials and refuses expired ones.

describe('TURN credentials (coturn REST API)', () => {
  it('are `expiry:sessionId` and base64(HMAC-SHA1(secret, username))', () => {
    // echo -n "1700000000:abc" | openssl dgst -sha1 -hmac secret -binary | base64
    assert.deepEqual(turnCredentials('secret', { sessionId: 'abc', expiresAt: 1_700_000_000_999 }), { username: '1700000000:abc', credential: 'JHgegmW+/B84iarkT5SFAOC1Iqw=' });
  });

  it('are issued per session, valid for the ttl and no longer', () => {
    const s = webRtcSettings({ PARLEY_ICE_SERVERS: 'stun:stun.example.com:3478, turn:turn.example.com:3478?transport=udp turns:turn.example.com:5349', PARLEY_TURN_SECRET: 'k' });
    const now = 1_800_000_000_000;
    const [stun, turn] = iceServersFor(s, { now, ttlMs: 720_000 });
    assert.deepEqual(stun, { urls: ['stun:stun.example.com:3478'] });
    assert.deepEqual(turn!.urls, ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349']);
    const [expiry, session] = turn!.username!.split(':');
    assert.equal(Number(expiry), (now + 720_000) / 1000);
    assert.match(session!, /^[\w-]{12}$/);
    assert.equal(turnUsernameValid(turn!.username!, now + 719_000), true);
    assert.equal(turnUsernameValid(turn!.username!, now + 720_000), false);
    const [, other] = iceServersFor(s, { now, ttlMs: 720_000 });
    assert.notEqual(other!.username, turn!.username, 'each session its own username');
  });

  it('hands out no TURN URL without a secret (it would only fail), and nothing when unset', () => {
    assert.deepEqual(iceServersFor(webRtcSettings({ PARLEY_ICE_SERVERS: 'stun:a.example:3478,turn:b.example:3478' }), { now: 0, ttlMs: 1000 }), [{ urls: ['stun:a.example:3478'] }]);
    assert.deepEqual(iceServersFor(webRtcSettings({}), { now: 0, ttlMs: 1000 }), []);
  });

  it('refuses malformed settings with the variable’s name', () => {
    assert.throws(() => webRtcSettings({ PARLEY_ICE_SERVERS: 'http://turn.example.com' }), /PARLEY_ICE_SERVERS: "http:\/\/turn.example.com" is not a stun:/);
    assert.throws(() => webRtcSettings({ PARLEY_ICE_TRANSPORT_POLICY: 'some' }), /PARLEY_ICE_TRANSPORT_POLICY must be "all" or "relay"/);
    assert.throws(() => webRtcSettings({ PARLEY_ICE_TRANSPORT_POLICY: 'relay', PARLEY_ICE_SERVERS: 'stun:a.example' }), /needs turn: URLs/);
    assert.throws(() => webRtcSettings({ PARLEY_WEBRTC_PORTS: '50000' }), /PARLEY_WEBRTC_PORTS must be a range/);
    assert.deepEqual(webRtcSettings({ PARLEY_WEBRTC_PORTS: '50000-50100', PARLEY_WEBRTC: 'off' }).portRange, [50000, 50100]);
    assert.equal(webRtcSettings({ PARLEY_WEBRTC: 'off' }).enabled, false);
  });
});

const HAVE_COTURN = spawnSync('turnserver', ['--help'], { stdio: 'ignore' }).error === undefined;

describe('a real coturn with use-auth-secret', { skip: HAVE_COTURN ? false : 'coturn is not installed (Debian package coturn)' }, () => {
  let turn: ChildProcess;
  let port = 0;
  const SECRET = 'coturn-test-secret';

  before(async () => {
    port = await freeUdpPort();
    const dir = tempDir('parley-coturn-');
    turn = spawn('turnserver', ['-n', '--listening-ip=127.0.0.1', `--listening-port=${port}`, '--relay-ip=127.0.0.1', '--min-port=49152', '--max-port=65535', '--use-auth-secret', `--static-auth-secret=${SECRET}`, '--realm=parley.test', '--no-tls', '--no-dtls', '--no-cli', `--pidfile=${join(dir, 'pid')}`, `--userdb=${join(dir, 'turndb')}`, '--log-file=stdout', '--simple-log'], { stdio: ['ignore', 'pipe', 'ignore'] });
    // Ready once its relay servers are created.
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      turn.stdout!.on('data', (d: Buffer) => {
        seen += d.toString();
        if (seen.includes('Total General servers')) resolve();
      });
      turn.on('exit', (code) => reject(new Error(`turnserver exited with ${code}: ${seen.slice(-500)}`)));
    });
  });
  after(() => turn?.kill('SIGKILL'));

  /** The candidates a relay-only peer gathers with these credentials. */
  async function relayCandidates(cred: { username: string; credential: string }): Promise<string[]> {
    const pc = new RTCPeerConnection({ codecs: { audio: [useOPUS()], video: [] }, iceServers: [{ urls: `turn:127.0.0.1:${port}`, ...cred }], iceTransportPolicy: 'relay', iceTurnConnectTimeout: 3000 });
    try {
      pc.addTransceiver('audio');
      const done = new Promise<void>((r) => pc.iceGatheringStateChange.subscribe((s) => s === 'complete' && r()));
      await pc.setLocalDescription(await pc.createOffer());
      if (pc.iceGatheringState !== 'complete') await done;
      return pc.localDescription!.sdp.split('\r\n').filter((l) => l.includes(' typ relay'));
    } finally {
      await pc.close();
    }
  }

  it('grants a relay to credentials Parley issued, and refuses them once expired', async () => {
    const fresh = turnCredentials(SECRET, { sessionId: 'sess1', expiresAt: Date.now() + 600_000 });
    assert.equal((await relayCandidates(fresh)).length, 1, 'a relayed candidate on coturn');
    const expired = turnCredentials(SECRET, { sessionId: 'sess2', expiresAt: Date.now() - 1000 });
    const forged = turnCredentials('not-the-secret', { sessionId: 'sess3', expiresAt: Date.now() + 600_000 });
    // Refusals take werift its TURN timeout each: both at once.
    assert.deepEqual(await Promise.all([relayCandidates(expired), relayCandidates(forged)]), [[], []]);
  });
});

/** A UDP port nobody holds right now. */
async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const p = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}
