/**
 * The audit table: every change made to a meter (see core/app/audit.ts). Entries are only added,
 * never changed; retention leaves them alone.
 */
import { AUDIT_KINDS, type AuditEntry, type AuditInput } from '../../../core/app/audit.js';
import { InputError } from '../../../core/errors.js';
import { canonicalObis, checkId, checkInteger, checkName, checkTime } from './cells.js';
import { int, prepare, type Connection, type Statement } from './sqlite.js';

const COLUMNS = 'id, at, device_id, device_name, kind, obis, class_id, member, member_name, before, after, result, who';

/** A long array's text stays readable and the table small. */
const MAX_TEXT = 4000;

function clipped(field: string, v: unknown): string {
  const text = checkName(field, v);
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}… (${text.length} characters)` : text;
}

export function checkAuditInput(e: AuditInput, field = 'audit entry'): AuditInput {
  if (typeof e !== 'object' || e === null) throw new InputError(field, e, 'expected an object');
  if (!AUDIT_KINDS.includes(e.kind)) throw new InputError(`${field}.kind`, e.kind, `expected one of ${AUDIT_KINDS.join(', ')}`);
  return {
    at: checkTime(`${field}.at`, e.at),
    deviceId: checkId(`${field}.deviceId`, e.deviceId),
    deviceName: checkName(`${field}.deviceName`, e.deviceName),
    kind: e.kind,
    obis: canonicalObis(`${field}.obis`, e.obis),
    classId: checkInteger(`${field}.classId`, e.classId, 0, 65535),
    member: checkInteger(`${field}.member`, e.member, 0, 255),
    memberName: checkName(`${field}.memberName`, e.memberName),
    before: clipped(`${field}.before`, e.before),
    after: clipped(`${field}.after`, e.after),
    result: clipped(`${field}.result`, e.result),
    who: checkName(`${field}.who`, e.who),
  };
}

export class AuditTable {
  private readonly insert: Statement;
  private readonly all: Statement;
  private readonly byDevice: Statement;

  constructor(db: Connection) {
    this.insert = prepare(
      db,
      `INSERT INTO audit (at, device_id, device_name, kind, obis, class_id, member, member_name, before, after, result, who)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.all = prepare(db, `SELECT ${COLUMNS} FROM audit ORDER BY at DESC, id DESC LIMIT ?`);
    this.byDevice = prepare(db, `SELECT ${COLUMNS} FROM audit WHERE device_id = ? ORDER BY at DESC, id DESC LIMIT ?`);
  }

  add(input: AuditInput): AuditEntry {
    const e = checkAuditInput(input);
    const r = this.insert.run([e.at, e.deviceId, e.deviceName, e.kind, e.obis, e.classId, e.member, e.memberName, e.before, e.after, e.result, e.who]);
    return { id: Number(r.lastInsertRowid), ...e };
  }

  /** Newest first; one device's, or every device's. */
  list(deviceId: string | undefined, limit: number): AuditEntry[] {
    const rows = deviceId === undefined ? this.all.all([limit]) : this.byDevice.all([deviceId, limit]);
    return rows.map((r) => ({
      id: int(r[0]),
      at: int(r[1]),
      deviceId: String(r[2]),
      deviceName: String(r[3]),
      kind: String(r[4]) as AuditEntry['kind'],
      obis: String(r[5]),
      classId: int(r[6]),
      member: int(r[7]),
      memberName: String(r[8]),
      before: String(r[9]),
      after: String(r[10]),
      result: String(r[11]),
      who: String(r[12]),
    }));
  }
}
