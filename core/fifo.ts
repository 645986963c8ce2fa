/**
 * A first-in first-out queue that takes from the front without moving what is behind it (an array's
 * `shift()` copies the rest on every call). The links queue their events and HDLC its segments in it.
 */
export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(...items: readonly T[]): void {
    for (const item of items) this.items.push(item);
  }

  /** The oldest item, taken out; undefined when the queue is empty. */
  shift(): T | undefined {
    if (this.head === this.items.length) return undefined;
    const item = this.items[this.head]!;
    this.head++;
    // Emptied: start over, so the array does not keep what was taken.
    if (this.head === this.items.length) this.clear();
    return item;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}
