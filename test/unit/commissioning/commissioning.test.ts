import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditInput } from '../../../core/app/audit.js';
import { dateTimeFromEpochMs } from '../../../core/axdr/datetime.js';
import { deviceLinkSettings, parseConfig } from '../../../core/app/index.js';
import { invokeMethod, setClock, writeAttribute, type ChangeContext } from '../../../electron/services/commissioning.js';
import { linkFor } from '../../../electron/services/device-session.js';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';
import { CLIENTS, METER_KINDS, meterConfig, type ClientKind, type MeterKind } from '../matrix/support.js';

const servers = new Map<MeterKind, VirtualMeterServer>();
beforeAll(async () => {
  for (const kind of METER_KINDS) {
    servers.set(kind, await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: 0, meter: { ...meterConfig(kind), clockOffsetSeconds: 3600 } }));
  }
});
afterAll(async () => {
  for (const s of servers.values()) await s.close();
});

function device(meter: MeterKind, framing: 'hdlc' | 'wrapper', client: ClientKind) {
  const server = servers.get(meter)!;
  const cfg = parseConfig({
    version: 1,
    connections: [{ id: 'c', name: 'C', tcp: { host: '127.0.0.1', port: framing === 'hdlc' ? server.hdlcPort : server.wrapperPort } }],
    devices: [
      {
        id: `${meter}-${framing}`,
        name: `Virtual ${meter}`,
        connectionId: 'c',
        interfaceType: framing,
        clientAddress: CLIENTS[client].clientAddress,
        ...CLIENTS[client].device,
      },
    ],
  });
  const settings = deviceLinkSettings(cfg.devices[0]!, cfg.connections[0]!);
  const audit: AuditInput[] = [];
  const change: ChangeContext = { deviceName: cfg.devices[0]!.name, record: (e) => void audit.push(e), who: 'tester' };
  return { settings, link: linkFor(settings), audit, change };
}

describe.each(METER_KINDS.flatMap((m) => (['hdlc', 'wrapper'] as const).map((f) => [m, f] as const)))(
  'changing the %s virtual meter over %s',
  (meter, framing) => {
    it('set-clock brings a 3,600 s drift under 1 s, audited with before and after', async () => {
      const { settings, link, audit, change } = device(meter, framing, 'low');
      try {
        // The first run of a pair finds the offset; the second (HDLC after the wrapper, same meter) a set clock.
        const r = await setClock(settings, link, {}, change);
        expect(r.error).toBeNull();
        expect(r.ok).toBe(true);
        if (framing === 'hdlc') expect(r.driftBefore!).toBeGreaterThan(3590);
        expect(Math.abs(r.driftAfter!)).toBeLessThan(1);
        expect(r.meterTimeAfter).toMatch(/^\d{4}-\d\d-\d\dT/);
        expect(audit).toHaveLength(1);
        expect(audit[0]).toMatchObject({
          kind: 'set-clock',
          obis: '0-0:1.0.0.255',
          classId: 8,
          member: 2,
          result: 'ok',
          who: 'tester',
          before: r.meterTimeBefore,
          after: r.meterTimeAfter,
        });
      } finally {
        await link.close();
      }
    });

    it("writes the HDLC setup's speed and reads it back; disconnect and reconnect change the output state", async () => {
      const { settings, link, audit, change } = device(meter, framing, 'low');
      try {
        const speed = await writeAttribute(settings, link, {}, change, {
          obis: '0-0:22.0.0.255',
          classId: 23,
          attribute: 2,
          value: { type: 'enum', value: 6 },
        });
        expect(speed.error).toBeNull();
        expect(speed.afterValue).toEqual({ type: 'enum', value: 6 });
        expect(speed.after).toBe('enum 6');
        const off = await invokeMethod(settings, link, {}, change, {
          obis: '0-0:96.3.10.255',
          classId: 70,
          method: 1,
          parameters: { type: 'integer', value: 0 },
        });
        expect(off.error).toBeNull();
        expect(off.after).toMatch(/^output_state false, control_state enum 0$/);
        const on = await invokeMethod(settings, link, {}, change, {
          obis: '0-0:96.3.10.255',
          classId: 70,
          method: 2,
          parameters: { type: 'integer', value: 0 },
        });
        expect(on.error).toBeNull();
        expect(on.before).toBe(off.after);
        expect(on.after).toMatch(/^output_state true, control_state enum 1$/);
        expect(audit.map((e) => [e.kind, e.memberName, e.before, e.after, e.result])).toEqual([
          ['write', 'comm_speed', speed.before, 'enum 6', 'ok'],
          ['action', 'remote_disconnect with 0', off.before, off.after, 'ok'],
          ['action', 'remote_reconnect with 0', on.before, on.after, 'ok'],
        ]);
        // Put the speed back for the other framing's run.
        await writeAttribute(settings, link, {}, change, { obis: '0-0:22.0.0.255', classId: 23, attribute: 2, value: { type: 'enum', value: 5 } });
      } finally {
        await link.close();
      }
    });

    it(
      'writes the load profile capture period and the demand period; both read back, audited; ' + 'a clock time as a DLMS date-time goes as its 12 bytes',
      async () => {
        const { settings, link, audit, change } = device(meter, framing, 'low');
        try {
          const period = await writeAttribute(settings, link, {}, change, {
            obis: '1-0:99.1.0.255',
            classId: 7,
            attribute: 4,
            value: { type: 'double-long-unsigned', value: 1800 },
          });
          expect(period.error).toBeNull();
          expect(period.afterValue).toEqual({ type: 'double-long-unsigned', value: 1800 });
          const demand = await writeAttribute(settings, link, {}, change, {
            obis: '1-0:1.4.0.255',
            classId: 5,
            attribute: 8,
            value: { type: 'double-long-unsigned', value: 600 },
          });
          expect(demand.error).toBeNull();
          expect(demand.afterValue).toEqual({ type: 'double-long-unsigned', value: 600 });
          expect(audit.map((e) => [e.obis, e.memberName, e.after, e.result])).toEqual([
            ['1-0:99.1.0.255', 'capture_period', '1800', 'ok'],
            ['1-0:1.4.0.255', 'period', '600', 'ok'],
          ]);
          // The clock's time is an octet-string(12): a date-time given as such is sent as its 12 bytes.
          const time = await writeAttribute(settings, link, {}, change, {
            obis: '0-0:1.0.0.255',
            classId: 8,
            attribute: 2,
            value: { type: 'date-time', value: dateTimeFromEpochMs(Date.now(), 0) },
          });
          expect(time.error).toBeNull();
          expect(time.afterValue?.type).toBe('octet-string');
          // Back as they were, for the other framing's run.
          await writeAttribute(settings, link, {}, change, {
            obis: '1-0:99.1.0.255',
            classId: 7,
            attribute: 4,
            value: { type: 'double-long-unsigned', value: 900 },
          });
          await writeAttribute(settings, link, {}, change, {
            obis: '1-0:1.4.0.255',
            classId: 5,
            attribute: 8,
            value: { type: 'double-long-unsigned', value: 900 },
          });
        } finally {
          await link.close();
        }
      },
    );

    it("refuses a public client's write with the meter's reason, and audits the refusal", async () => {
      const { settings, link, audit, change } = device(meter, framing, 'public');
      try {
        const r = await writeAttribute(settings, link, {}, change, { obis: '0-0:22.0.0.255', classId: 23, attribute: 2, value: { type: 'enum', value: 6 } });
        expect(r.ok).toBe(false);
        expect(r.error).toMatchObject({ name: 'AccessError', code: 'read-write-denied' });
        expect(r.after).toBe(r.before);
        expect(audit).toEqual([expect.objectContaining({ kind: 'write', result: 'read-write-denied', before: 'enum 5', after: 'enum 5' })]);
        const clock = await setClock(settings, link, {}, change);
        expect(clock.ok).toBe(false);
        expect(clock.error?.code).toBe('read-write-denied');
        expect(audit[1]).toMatchObject({ kind: 'set-clock', result: 'read-write-denied' });
      } finally {
        await link.close();
      }
    });
  },
);
