/**
 * Removes our own bytes from what a line gives back. Many optical probes and two-wire RS-485
 * adapters hear themselves: everything sent comes back on the receive side before the meter's answer.
 *
 * Nobody has to say whether the probe echoes. What we wrote is expected back; received bytes that
 * match it are held until the whole message has come back (then they are dropped as echo) or a byte
 * differs (then there was no echo: the held bytes and the rest go to the reader, unchanged and in
 * order). A meter's answer never repeats our message byte for byte (HDLC swaps the addresses, the
 * wrapper its ports, the sign-on answer is an identification), so nothing of the meter's is eaten.
 */
export class EchoFilter {
  /** Messages written whose echo has not come back yet, oldest first. */
  private expected: Uint8Array[] = [];
  /** How many bytes of `expected[0]` already came back (held, not yet judged). */
  private matched = 0;

  /** We are about to write `bytes`. */
  sent(bytes: Uint8Array): void {
    if (bytes.length > 0) this.expected.push(bytes);
  }

  /** Bytes received; returns what belongs to the reader (the same array when nothing was echo). */
  received(chunk: Uint8Array): Uint8Array {
    if (this.expected.length === 0 || chunk.length === 0) return chunk;
    let at = 0;
    while (at < chunk.length) {
      const head = this.expected[0];
      if (head === undefined) break;
      if (chunk[at] !== head[this.matched]) return this.noEcho(chunk.subarray(at));
      at++;
      this.matched++;
      if (this.matched === head.length) {
        this.expected.shift();
        this.matched = 0;
      }
    }
    return chunk.subarray(at);
  }

  /**
   * The line went quiet while bytes were held: they were not an echo after all (or only part of one).
   * Returns them for the reader, or null when nothing was held.
   */
  flush(): Uint8Array | null {
    const head = this.expected[0];
    const held = head !== undefined && this.matched > 0 ? head.slice(0, this.matched) : null;
    this.reset();
    return held;
  }

  /** Forget every expectation (a new connection). */
  reset(): void {
    this.expected = [];
    this.matched = 0;
  }

  /** Held bytes plus the rest of the chunk; every expectation is dropped, as the echo is not coming. */
  private noEcho(rest: Uint8Array): Uint8Array {
    const head = this.expected[0]!;
    const held = this.matched;
    this.reset();
    if (held === 0) return rest;
    const out = new Uint8Array(held + rest.length);
    out.set(head.subarray(0, held), 0);
    out.set(rest, held);
    return out;
  }
}
