/**
 * Jobs of several devices sharing one line. Each device's own jobs keep their order; between
 * devices, the next job goes to the one that has waited longest for its turn. A device that joins
 * the queue counts as waiting since just before the job now running, so it comes after the devices
 * already waiting, and before the running job's device if that one queues again. Devices take
 * turns: one that queues a hundred polls delays every other device by one job, never by a hundred.
 */
export class FairQueue<T> {
  /** Devices with jobs waiting, with their place in turn; map order is the order they joined. */
  private readonly waiting = new Map<string, { readonly turn: number; readonly jobs: T[] }>();
  /** Jobs handed out so far: the turn of the job running now. */
  private served = 0;
  private lastDevice: string | null = null;
  private oneOffs = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Queue a device's job; without a device the job is a device of its own, served in arrival order. */
  push(device: string | undefined, item: T): void {
    const key = device ?? `\u0000${++this.oneOffs}`;
    const entry = this.waiting.get(key);
    if (entry) entry.jobs.push(item);
    else this.waiting.set(key, { turn: key === this.lastDevice ? this.served : this.served - 0.5, jobs: [item] });
    this.count++;
  }

  /** The next job in turn, or undefined when nobody waits. */
  shift(): T | undefined {
    let pick: string | null = null;
    let pickTurn = Infinity;
    for (const [device, { turn }] of this.waiting) {
      if (turn < pickTurn) {
        pick = device;
        pickTurn = turn;
      }
    }
    if (pick === null) return undefined;
    const { jobs } = this.waiting.get(pick)!;
    const item = jobs.shift()!;
    this.waiting.delete(pick);
    this.served++;
    this.lastDevice = pick;
    // Still waiting: back in line as just served.
    if (jobs.length > 0) this.waiting.set(pick, { turn: this.served, jobs });
    this.count--;
    return item;
  }

  /** Take one job out (cancelled); true when it was there. */
  remove(item: T): boolean {
    for (const [device, { jobs }] of this.waiting) {
      const at = jobs.indexOf(item);
      if (at < 0) continue;
      jobs.splice(at, 1);
      if (jobs.length === 0) this.waiting.delete(device);
      this.count--;
      return true;
    }
    return false;
  }

  /** Empty the queue, handing back every job in turn order. */
  drain(): T[] {
    const out: T[] = [];
    for (let item = this.shift(); item !== undefined; item = this.shift()) out.push(item);
    return out;
  }
}
