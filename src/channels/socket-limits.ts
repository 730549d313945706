// What every socket door shares: the socket shape it needs, close codes and message limits.

/** The socket as the door needs it (a `ws` WebSocket fits). */
export interface WebSocketLike {
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
  on(event: 'message', listener: (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => void): unknown;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): unknown;
}

export const MAX_FRAME_BYTES = 64 * 1024;
/** Messages a socket may send: a burst of this many, refilled at MESSAGES_PER_SECOND (audio is 50/s). */
export const MESSAGE_BURST = 400;
export const MESSAGES_PER_SECOND = 200;
export const CLOSE_NORMAL = 1000;
export const CLOSE_POLICY = 1008;
export const CLOSE_TOO_BIG = 1009;
/** The server is at capacity: the browser may try again later. */
export const CLOSE_TRY_AGAIN = 1013;
