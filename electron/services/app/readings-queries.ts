/**
 * The few reads the app's screens need that the readings database class does not offer (a group's
 * newest poll), on a read-only connection of our own so they never wait for or hold up the poller's
 * writes (WAL).
 */
import type { GroupReadings } from '../../../core/app/api/types.js';
import type { CosemGroup } from '../../../core/app/schema.js';
import type { ReadingsDatabase } from '../readings/readings-database.js';
import { closeQuietly, int, openConnection, prepare, type Connection } from '../readings/sqlite.js';
import { storedReadingView } from './views.js';

const NEWEST_POLL_SQL = `SELECT p.id, p.read_at, (SELECT min(r.read_at) FROM readings r WHERE r.poll_id = p.id)
  FROM polls p WHERE p.group_id = ? ORDER BY p.read_at DESC, p.id DESC LIMIT 1`;

/** A value's newest good reading before a time: down the (series, read time) index. */
export const LAST_GOOD_READING_SQL = `SELECT read_at FROM readings
  WHERE series_id = ? AND read_at < ? AND error_code IS NULL ORDER BY read_at DESC LIMIT 1`;

export class ReadingsQueries {
  private connection: Connection | null = null;

  constructor(private readonly db: () => ReadingsDatabase) {}

  /**
   * A group's newest stored poll as the Readings page shows it; null when none is stored. A value
   * that poll did not read well comes with its last good reading first (shown stale beside the
   * failure, not as an empty row).
   */
  latestPoll(group: CosemGroup): GroupReadings | null {
    const row = prepare(this.open(), NEWEST_POLL_SQL).get([group.id]);
    if (row === undefined) return null;
    const pollId = int(row[0]);
    const readAt = int(row[1]);
    const first = row[2] === null ? readAt : int(row[2]);
    const db = this.db();
    const lastGood = prepare(this.open(), LAST_GOOD_READING_SQL);
    const readings = db
      .groupSeries(group.id)
      .flatMap((s) => {
        const newest = db.readings(s.id, { from: first, to: readAt + 1 }).filter((r) => r.pollId === pollId);
        if (newest.some((r) => r.error === null)) return newest;
        // Not read, or not read well, by the newest poll: its last good reading, then the failure.
        const good = lastGood.get([s.id, readAt + 1]);
        if (good === undefined) return newest;
        const at = int(good[0]);
        return [
          ...db
            .readings(s.id, { from: at, to: at + 1 })
            .filter((r) => r.error === null)
            .slice(-1),
          ...newest,
        ];
      })
      .map((r) =>
        storedReadingView(
          r,
          group.values.find((v) => v.deviceId === r.deviceId && v.obis === r.obis && v.classId === r.classId && v.attribute === r.attribute),
        ),
      );
    const order = new Map(group.values.map((v, i) => [v.id, i]));
    readings.sort((a, b) => (order.get(a.valueId ?? '') ?? 1e9) - (order.get(b.valueId ?? '') ?? 1e9));
    return { groupId: group.id, readAt, readings, failures: [] };
  }

  close(): void {
    if (this.connection !== null) closeQuietly(this.connection);
    this.connection = null;
  }

  private open(): Connection {
    return (this.connection ??= openConnection(this.db().file, 'normal'));
  }
}
