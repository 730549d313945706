// The browser's side of the WebRTC door (docs/protocol.md): the microphone as an Opus track, the
// agent's voice as a remote track played by an <audio> element (so the echo canceller knows what
// the speakers play), signalling as `offer`/`answer` on the session's socket, and playout reports
// (the RTP timestamp of the agent frame last played). The browser's own RTCPeerConnection does all
// the work; this file only wires it. Anything that does not connect in time is undone, and the
// caller stays on the socket.

/** What the session response says about WebRTC. */
export interface RtcOffer {
  webrtc?: boolean;
  iceServers?: RTCIceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
}

/** A connected call: the agent's audio playing, playout readable, mute and close. */
export interface RtcCall {
  /** RTP timestamp of the agent frame last played, or null before the first. */
  playedRtp(): number | null;
  mute(muted: boolean): void;
  close(): void;
}

/** How long WebRTC may take from the offer to a connection before the caller falls back to the socket. */
export const RTC_CONNECT_MS = 5000;

/**
 * Negotiates a call over `signal` (sends the offer, returns the answer's SDP or throws its error);
 * resolves once ICE and DTLS are up, rejects (and releases everything) on failure or after `timeoutMs`.
 */
export async function connectRtc(mic: MediaStream, o: RtcOffer, signal: (sdp: string) => Promise<string>, timeoutMs = RTC_CONNECT_MS): Promise<RtcCall> {
  if (typeof RTCPeerConnection === 'undefined' || o.webrtc === false) throw new Error('WebRTC is not available');
  const pc = new RTCPeerConnection({ iceServers: o.iceServers ?? [], iceTransportPolicy: o.iceTransportPolicy ?? 'all' });
  const audio = new Audio();
  audio.autoplay = true;
  let receiver: RTCRtpReceiver | undefined;
  const close = () => {
    pc.close();
    audio.srcObject = null;
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const track = mic.getAudioTracks()[0];
    if (!track) throw new Error('no microphone track');
    pc.addTransceiver(track, { direction: 'sendrecv', streams: [mic] });
    pc.ontrack = (e) => {
      receiver = e.receiver;
      audio.srcObject = e.streams[0] ?? new MediaStream([e.track]);
      void audio.play().catch(() => {});
    };
    const up = new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error('WebRTC did not connect in time')), timeoutMs);
      pc.onconnectionstatechange = () => {
        if (pc.connectionState === 'connected') resolve();
        if (pc.connectionState === 'failed' || pc.connectionState === 'closed') reject(new Error(`WebRTC ${pc.connectionState}`));
      };
    });
    up.catch(() => {});
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc, 1000);
    // The answer, unless the deadline comes first (a server that never answers).
    const answer = await Promise.race([signal(pc.localDescription!.sdp), up.then(() => '')]);
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    await up;
  } catch (e) {
    close();
    throw e;
  } finally {
    clearTimeout(timer);
  }
  return {
    playedRtp: () => receiver?.getSynchronizationSources()[0]?.rtpTimestamp ?? null,
    mute: (muted) => {
      for (const s of pc.getSenders()) if (s.track) s.track.enabled = !muted;
    },
    close,
  };
}

/** Waits for the browser's candidates (host ones come at once; STUN and TURN take a round trip), at most `ms`. */
function gathered(pc: RTCPeerConnection, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    const t = setTimeout(resolve, ms);
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') {
        clearTimeout(t);
        resolve();
      }
    });
  });
}
