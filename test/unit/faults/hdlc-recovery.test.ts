/**
 * How the HDLC client recovers from a lost or damaged frame, by the rules of IEC 62056-46 (normal
 * response mode, the client is the primary station): on its response timer it hands the poll
 * back, repeating an unacknowledged I-frame with the same N(S), or sending RR with P=1 and the
 * N(R) it still expects; the meter then repeats from that N(R). A frame with a bad FCS is ignored
 * as if lost. (The standard's HDLC subset has no REJ: recovery is by timer and N(R) alone.)
 * Each case reads the same value as a clean read and shows the frames that did the recovery.
 */
import { describe, expect, it } from 'vitest';
import { HdlcFramer } from '../../../core/hdlc/framer.js';
import type { HdlcFrame } from '../../../core/hdlc/frame.js';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { attr, connect } from '../integration/support.js';

const OBJECT_LIST = attr(15, '0-0:40.0.0.255', 2);

interface Seen {
  readonly dir: 'to-meter' | 'from-meter';
  readonly frame: HdlcFrame;
  readonly dropped: boolean;
}

function decode(bytes: Uint8Array): HdlcFrame | null {
  const f = new HdlcFramer();
  f.push(bytes);
  const r = f.next();
  return r.kind === 'frame' ? r.frame : null;
}

const brief = (s: Seen): string => {
  const f = s.frame;
  const seq = f.kind === 'I' ? ` S${f.sendSequence} R${f.receiveSequence}` : f.receiveSequence !== undefined ? ` R${f.receiveSequence}` : '';
  return `${s.dropped ? 'LOST ' : ''}${s.dir === 'to-meter' ? '>' : '<'} ${f.kind}${seq}${f.poll ? ' P/F' : ''}${f.segmented ? ' seg' : ''}`;
};

/** Read the object list (many segments at 64 bytes a frame) while `lose` picks frames to lose. */
async function readWith(
  lose: (dir: Seen['dir'], frame: HdlcFrame, nth: number) => 'lose' | 'pass',
  window = 1,
): Promise<{ value: DlmsValue; seen: Seen[]; warnings: number }> {
  const seen: Seen[] = [];
  const counts = { 'to-meter': 0, 'from-meter': 0 };
  let warnings = 0;
  const decide = (dir: Seen['dir'], bytes: Uint8Array): 'lose' | 'pass' => {
    const frame = decode(bytes);
    if (frame === null) return 'pass';
    const verdict = lose(dir, frame, counts[dir]++);
    seen.push({ dir, frame, dropped: verdict !== 'pass' });
    return verdict;
  };
  const { client } = connect({
    maxInfo: 64,
    window,
    session: { responseTimeoutMs: 1000, onWarning: () => warnings++ },
    wire: { drop: (dir, _i, bytes) => decide(dir, bytes) === 'lose' },
  });
  await client.open();
  const value = await client.get(OBJECT_LIST);
  await client.release();
  return { value, seen, warnings };
}

async function cleanValue(): Promise<DlmsValue> {
  return (await readWith(() => 'pass')).value;
}

/** The frames after the first lost one, briefly. */
function afterLoss(seen: readonly Seen[], count: number): string[] {
  const at = seen.findIndex((s) => s.dropped);
  return seen.slice(at, at + count).map(brief);
}

describe('HDLC recovery by the standard', () => {
  it('a lost request: the client repeats the I-frame with the same N(S) and the poll bit', async () => {
    const clean = await cleanValue();
    // Frames to the meter: SNRM, AARQ, then the GET.
    const r = await readWith((dir, f, n) => (dir === 'to-meter' && f.kind === 'I' && n === 2 ? 'lose' : 'pass'));
    expect(r.value).toEqual(clean);
    expect(afterLoss(r.seen, 3)).toEqual(['LOST > I S1 R1 P/F', '> I S1 R1 P/F', '< I S1 R2 P/F seg']);
  });

  it('a lost answer: the repeated request makes the meter repeat its answer, same N(S)', async () => {
    const clean = await cleanValue();
    const r = await readWith((dir, f, n) => (dir === 'from-meter' && f.kind === 'I' && n === 2 ? 'lose' : 'pass'));
    expect(r.value).toEqual(clean);
    expect(afterLoss(r.seen, 3)).toEqual(['LOST < I S1 R2 P/F seg', '> I S1 R1 P/F', '< I S1 R2 P/F seg']);
  });

  it('a lost segment: the client sends RR with the N(R) it still expects and the meter repeats it', async () => {
    const clean = await cleanValue();
    const r = await readWith((dir, f, n) => (dir === 'from-meter' && f.kind === 'I' && n === 4 ? 'lose' : 'pass'));
    expect(r.value).toEqual(clean);
    expect(afterLoss(r.seen, 3)).toEqual(['LOST < I S3 R2 P/F seg', '> RR R3 P/F', '< I S3 R2 P/F seg']);
  });

  it("a lost RR: the client repeats it and the meter's next segment comes once", async () => {
    const clean = await cleanValue();
    let lost = false;
    const r = await readWith((dir, f) => {
      if (lost || dir !== 'to-meter' || f.kind !== 'RR' || f.receiveSequence !== 4) return 'pass';
      lost = true;
      return 'lose';
    });
    expect(r.value).toEqual(clean);
    expect(afterLoss(r.seen, 4)).toEqual(['LOST > RR R4 P/F', '> RR R4 P/F', '< I S4 R2 P/F seg', '> RR R5 P/F']);
  });

  it('a segment with a bad FCS is ignored as lost, and repeated on RR', async () => {
    const clean = await cleanValue();
    let damaged = false;
    const damage = (dir: Seen['dir'], _i: number, bytes: Uint8Array): Uint8Array => {
      const f = decode(bytes);
      if (damaged || dir !== 'from-meter' || f?.kind !== 'I' || f.sendSequence !== 3) return bytes;
      damaged = true;
      const copy = bytes.slice();
      copy[copy.length - 6]! ^= 0x10;
      return copy;
    };
    let warnings = 0;
    const { client } = connect({
      maxInfo: 64,
      session: { responseTimeoutMs: 1000, onWarning: () => warnings++ },
      wire: { rewrite: damage },
    });
    await client.open();
    const value = await client.get(OBJECT_LIST);
    expect(damaged).toBe(true);
    expect(warnings).toBeGreaterThan(0);
    expect(value).toEqual(clean);
  });

  it('with a window of several frames, a frame lost in the middle is asked again from its N(S) (go-back-N)', async () => {
    const clean = await cleanValue();
    const r = await readWith((dir, f, n) => (dir === 'from-meter' && f.kind === 'I' && n === 4 ? 'lose' : 'pass'), 3);
    expect(r.value).toEqual(clean);
    const lostAt = r.seen.findIndex((s) => s.dropped);
    const lost = r.seen[lostAt]!.frame;
    // The next command the client gives names the lost frame's N(S) as the one it expects ...
    const next = r.seen.slice(lostAt + 1).find((s) => s.dir === 'to-meter')!;
    expect(next.frame.kind).toBe('RR');
    expect(next.frame.receiveSequence).toBe(lost.sendSequence);
    expect(next.frame.poll).toBe(true);
    // ... and the meter's next frame is that one again.
    const again = r.seen.slice(r.seen.indexOf(next) + 1).find((s) => s.dir === 'from-meter')!;
    expect(again.frame.sendSequence).toBe(lost.sendSequence);
  });
});
