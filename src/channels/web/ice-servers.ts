import { createHmac, randomBytes } from 'node:crypto';

// NAT traversal for the WebRTC door: the STUN and TURN servers a browser is told to use
// (PARLEY_ICE_SERVERS), with short-lived TURN credentials made for each session under coturn's
// REST-API scheme (`use-auth-secret`): username `<expiry unix seconds>:<session id>`, credential
// base64(HMAC-SHA1(secret, username)). The TURN server checks them with the same secret and
// refuses them after the expiry; Parley never stores or logs them.

/** One entry of RTCConfiguration.iceServers, as the browser takes it. */
export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

/** How the server does WebRTC, from the environment. */
export interface WebRtcSettings {
  /** False when PARLEY_WEBRTC=off: offers are refused and browsers stay on the socket. */
  enabled: boolean;
  stun: string[];
  turn: string[];
  /** PARLEY_TURN_SECRET: coturn's static-auth-secret. TURN URLs without it are not handed out. */
  turnSecret?: string;
  /** PARLEY_ICE_TRANSPORT_POLICY=relay: browsers use only TURN (hides their address from the server, forces the relay). */
  relayOnly: boolean;
  /** PARLEY_WEBRTC_ANNOUNCE: addresses to announce besides the host's own (its public IP behind 1:1 NAT). */
  announce: string[];
  /** PARLEY_WEBRTC_PORTS=min-max: the UDP ports WebRTC uses (open them in the firewall). */
  portRange?: [number, number];
}

const URL_PATTERN = /^(stun|stuns|turn|turns):[^\s,]+$/;

/** Reads the WebRTC settings; throws with the variable's name on a malformed value. */
export function webRtcSettings(env: NodeJS.ProcessEnv): WebRtcSettings {
  const enabled = (env.PARLEY_WEBRTC ?? 'on').toLowerCase() !== 'off';
  const urls = (env.PARLEY_ICE_SERVERS ?? '').split(/[\s,]+/).filter(Boolean);
  for (const u of urls) if (!URL_PATTERN.test(u)) throw new Error(`PARLEY_ICE_SERVERS: "${u}" is not a stun:, stuns:, turn: or turns: URL`);
  const policy = env.PARLEY_ICE_TRANSPORT_POLICY ?? 'all';
  if (policy !== 'all' && policy !== 'relay') throw new Error('PARLEY_ICE_TRANSPORT_POLICY must be "all" or "relay"');
  const turn = urls.filter((u) => u.startsWith('turn'));
  const turnSecret = env.PARLEY_TURN_SECRET || undefined;
  if (policy === 'relay' && !(turn.length && turnSecret)) throw new Error('PARLEY_ICE_TRANSPORT_POLICY=relay needs turn: URLs in PARLEY_ICE_SERVERS and PARLEY_TURN_SECRET');
  let portRange: [number, number] | undefined;
  if (env.PARLEY_WEBRTC_PORTS) {
    const m = /^(\d+)-(\d+)$/.exec(env.PARLEY_WEBRTC_PORTS);
    const [lo, hi] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
    if (!m || lo < 1024 || hi > 65535 || lo > hi) throw new Error('PARLEY_WEBRTC_PORTS must be a range like 50000-50200 (1024 to 65535)');
    portRange = [lo, hi];
  }
  const announce = (env.PARLEY_WEBRTC_ANNOUNCE ?? '').split(/[\s,]+/).filter(Boolean);
  return { enabled, stun: urls.filter((u) => u.startsWith('stun')), turn, turnSecret, relayOnly: policy === 'relay', announce, portRange };
}

/** What TURN credentials are good for: the session's id and until when (ms since epoch). */
export interface TurnGrant {
  sessionId: string;
  expiresAt: number;
}

/** coturn REST-API credentials: `expiry:sessionId` and its HMAC-SHA1 under the shared secret. */
export function turnCredentials(secret: string, grant: TurnGrant): { username: string; credential: string } {
  const username = `${Math.floor(grant.expiresAt / 1000)}:${grant.sessionId}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

/** Whether a TURN username (as coturn sees it) is still valid at `now`. */
export function turnUsernameValid(username: string, now: number): boolean {
  const expiry = Number(username.split(':')[0]);
  return Number.isInteger(expiry) && expiry * 1000 > now;
}

/** The iceServers one browser session gets: the STUN URLs, and the TURN URLs with credentials valid for `ttlMs`. */
export function iceServersFor(s: WebRtcSettings, o: { now: number; ttlMs: number; sessionId?: string }): IceServer[] {
  const out: IceServer[] = [];
  if (s.stun.length) out.push({ urls: s.stun });
  if (s.turn.length && s.turnSecret) {
    const sessionId = o.sessionId ?? randomBytes(9).toString('base64url');
    out.push({ urls: s.turn, ...turnCredentials(s.turnSecret, { sessionId, expiresAt: o.now + o.ttlMs }) });
  }
  return out;
}
