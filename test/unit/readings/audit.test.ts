import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'libsql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditAttributeText, auditParameterText, type AuditInput } from '../../../core/app/audit.js';
import { InputError } from '../../../core/errors.js';
import { exportAuditCsv } from '../../../electron/services/csv/audit-export.js';
import { openReadingsDatabase } from '../../../electron/services/readings/readings-database.js';
import { MIGRATIONS } from '../../../electron/services/readings/schema.js';
import { groupPoll, T0, tempFolder } from './support.js';

let dir: ReturnType<typeof tempFolder>;
beforeEach(() => {
  dir = tempFolder('cosem-audit-');
});
afterEach(() => dir.remove());

function entry(over: Partial<AuditInput> = {}): AuditInput {
  return {
    at: T0,
    deviceId: 'meter-1',
    deviceName: 'Kitchen meter',
    kind: 'write',
    obis: '1-0:99.1.0.255',
    classId: 7,
    member: 4,
    memberName: 'capture_period',
    before: '900',
    after: '60',
    result: 'ok',
    who: 'installer',
    ...over,
  };
}

describe('the audit of changes', () => {
  it('a schema 1 database gains the audit table and keeps its readings', () => {
    // A file as the previous version left it: schema 1 and a poll.
    const file = join(dir.path, 'readings.sqlite');
    const old = new Database(file);
    MIGRATIONS[0]!.up(old);
    old.exec('PRAGMA user_version = 1');
    old.exec(`INSERT INTO polls (group_id, read_at) VALUES ('g1', ${T0})`);
    old.close();
    const db = openReadingsDatabase({ folder: dir.path });
    expect(db.schema).toEqual({ from: 1, to: 2 });
    expect(db.auditEntries()).toEqual([]);
    db.recordPoll(groupPoll(1));
    db.close();
    const raw = new Database(file);
    expect(raw.prepare('SELECT count(*) FROM polls').raw(true).get([])).toEqual([2]);
    raw.close();
  });

  it('lists entries newest first, per device or all, and keeps them past retention', () => {
    const db = openReadingsDatabase({ folder: dir.path, retentionDays: 1 });
    db.recordAudit(entry());
    db.recordAudit(
      entry({
        at: T0 + 1000,
        kind: 'action',
        classId: 70,
        obis: '0-0:96.3.10.255',
        member: 1,
        memberName: 'remote_disconnect',
        before: 'true',
        after: 'false',
      }),
    );
    const other = db.recordAudit(entry({ at: T0 + 500, deviceId: 'meter-2', deviceName: 'Garage', obis: '0.0.1.0.0.255' }));
    expect(other.obis).toBe('0-0:1.0.0.255');
    expect(db.auditEntries('meter-1').map((e) => e.memberName)).toEqual(['remote_disconnect', 'capture_period']);
    expect(db.auditEntries().map((e) => e.deviceId)).toEqual(['meter-1', 'meter-2', 'meter-1']);
    expect(db.auditEntries('meter-1')[1]).toMatchObject({ before: '900', after: '60', result: 'ok', who: 'installer', classId: 7, member: 4 });
    db.applyRetention(T0 + 10 * 86_400_000);
    expect(db.auditEntries()).toHaveLength(3);
    db.close();
  });

  it('refuses an entry that is not one, naming the field', () => {
    const db = openReadingsDatabase({ folder: dir.path });
    expect(() => db.recordAudit(entry({ kind: 'erase' as never }))).toThrow(
      /audit entry\.kind: "erase" is not valid: expected one of write, action, set-clock/,
    );
    expect(() => db.recordAudit(entry({ obis: 'nope' }))).toThrow(InputError);
    expect(db.auditEntries()).toEqual([]);
    db.close();
  });

  it('never stores a secret', () => {
    const secret = { type: 'octet-string', value: new TextEncoder().encode('Secret-Pass-42') } as const;
    expect(auditAttributeText(15, 7, secret)).toBe('(secret)');
    expect(auditParameterText(64, 2, secret)).toBe('(secret)');
    expect(auditParameterText(15, 2, secret)).toBe('(secret)');
    expect(auditAttributeText(7, 4, { type: 'double-long-unsigned', value: 900 })).toBe('900');
    expect(auditParameterText(70, 1, { type: 'integer', value: 0 })).toBe('0');
    expect(auditAttributeText(7, 4, null)).toBe('-');
  });

  it('exports to CSV, oldest first, with the header a person reads', async () => {
    const db = openReadingsDatabase({ folder: dir.path });
    db.recordAudit(entry({ at: T0 + 1000, before: 'a, "quoted" value', result: 'read-write-denied' }));
    db.recordAudit(entry());
    db.recordAudit(entry({ deviceId: 'other' }));
    const file = join(dir.path, 'audit.csv');
    const r = await exportAuditCsv(db, { deviceId: 'meter-1' }, file);
    expect(r.rows).toBe(2);
    const lines = readFileSync(file, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe('Time (UTC),Device ID,Device,Change,OBIS code,Class,Attribute or method,Name,Before,After,Result,Who');
    expect(lines[1]).toBe('2024-03-01T00:00:00Z,meter-1,Kitchen meter,write,1-0:99.1.0.255,7,4,capture_period,900,60,ok,installer');
    expect(lines[2]).toBe(
      '2024-03-01T00:00:01Z,meter-1,Kitchen meter,write,1-0:99.1.0.255,7,4,capture_period,"a, ""quoted"" value",60,read-write-denied,installer',
    );
    db.close();
  });
});
