// Sockets open at a door that have not sent `start` yet, counted per caller address on this node.
// They hold no seat, but each is a socket the server keeps: a few per address, so one caller
// cannot pile up idle sockets (the start timeout closes each within seconds anyway).

/** Sockets waiting for `start`, a bounded number per caller address. */
export class WaitingSockets {
  readonly perAddress: number;
  #waiting = new Map<string, number>();

  constructor(perAddress: number) {
    this.perAddress = perAddress;
  }

  /** Counts one more socket from `address`: a `leave` to call when it starts or closes (safe twice), or null when that address already has `perAddress` waiting. */
  enter(address: string): (() => void) | null {
    const n = this.#waiting.get(address) ?? 0;
    if (n >= this.perAddress) return null;
    this.#waiting.set(address, n + 1);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const now = (this.#waiting.get(address) ?? 1) - 1;
      if (now > 0) this.#waiting.set(address, now);
      else this.#waiting.delete(address);
    };
  }

  /** Sockets waiting now from `address`. */
  count(address: string): number {
    return this.#waiting.get(address) ?? 0;
  }
}
