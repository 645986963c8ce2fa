/**
 * A DlmsClient talking to the virtual meter in memory, and ways to count what crossed the wire.
 * Everything runs on the transport's virtual clock, so no test waits for real time.
 */
import { accessError } from '../../../core/apdu/results.js';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { asciiBytes } from '../../../core/bytes.js';
import { oneByteAddress } from '../../../core/hdlc/address.js';
import { HdlcLink } from '../../../core/hdlc/link.js';
import { createVirtualMeter, type VirtualMeter, type VirtualMeterConfig } from '../../../core/meter/index.js';
import { DlmsClient, type DlmsClientOptions } from '../../../core/session/client.js';
import { InMemoryTransport, type InMemoryTransportOptions } from '../../../core/session/memory-transport.js';
import type { AttributeRef, ItemResult } from '../../../core/session/types.js';
import { formatObis, obisFromBytes } from '../../../core/obis.js';
import { WrapperLink } from '../../../core/wrapper/link.js';

/** 2026-11-22T01:51:18Z. */
export const NOW = Date.UTC(2026, 10, 22, 1, 51, 18);

/** The C.D.E codes of the virtual meter's plain class 3 registers (OBIS 1-0:C.D.E.255). */
export const REGISTER_CODES: readonly string[] = [
  '1.8.0',
  '1.8.1',
  '1.8.2',
  '2.8.0',
  '3.8.0',
  '4.8.0',
  '1.7.0',
  '2.7.0',
  '3.7.0',
  '4.7.0',
  '32.7.0',
  '52.7.0',
  '72.7.0',
  '31.7.0',
  '51.7.0',
  '71.7.0',
  '14.7.0',
  '13.7.0',
];

export interface MeterSetup {
  readonly transport?: 'hdlc' | 'wrapper';
  /** 16 public (default) or 17 management with Low authentication. */
  readonly client?: 16 | 17;
  readonly meter?: VirtualMeterConfig;
  readonly session?: DlmsClientOptions;
  readonly wire?: InMemoryTransportOptions;
  /** HDLC information field both ways (default: the link's). */
  readonly maxInfo?: number;
  /** Reuse a meter (a second connection to it). */
  readonly existing?: VirtualMeter;
}

export interface Connected {
  readonly meter: VirtualMeter;
  readonly client: DlmsClient;
  readonly transport: InMemoryTransport;
}

export function connectMeter(setup: MeterSetup = {}): Connected {
  const kind = setup.transport ?? 'wrapper';
  const clientAddress = setup.client ?? 16;
  const meter = setup.existing ?? createVirtualMeter(setup.meter);
  const transport = new InMemoryTransport(meter.connection(kind), { startMs: NOW, ...setup.wire });
  const link =
    kind === 'hdlc'
      ? new HdlcLink({
          role: 'client',
          clientAddress,
          serverAddress: oneByteAddress(1),
          proposed: setup.maxInfo === undefined ? {} : { maxInfoTx: setup.maxInfo, maxInfoRx: setup.maxInfo },
        })
      : new WrapperLink({ role: 'client', clientWPort: clientAddress, serverWPort: 1 });
  const client = new DlmsClient(link, transport, {
    ...(clientAddress === 17 ? { authentication: 'low' as const, password: asciiBytes('00000000') } : {}),
    ...setup.session,
  });
  return { meter, client, transport };
}

/** Requests the client sent so far (each one waits for its answer: one round trip each). */
export function requestsSent(t: InMemoryTransport): number {
  return t.wire.filter((w) => w.direction === 'to-meter').length;
}

/** Round trips taken by `action` (wrapper: one message per request). */
export async function roundTrips(t: InMemoryTransport, action: () => Promise<unknown>): Promise<number> {
  const before = requestsSent(t);
  await action();
  return requestsSent(t) - before;
}

/**
 * A meter made of a function: each attribute's answer, for shapes the virtual meter never sends
 * (malformed scaler_units, reconfigured profiles, broken conversations).
 */
export class ScriptedClient {
  readonly calls: AttributeRef[][] = [];
  constructor(private readonly answer: (ref: AttributeRef, call: number) => ItemResult | Error) {}

  async getList(refs: readonly AttributeRef[]): Promise<readonly ItemResult[]> {
    const call = this.calls.length;
    this.calls.push([...refs]);
    const out: ItemResult[] = [];
    for (const ref of refs) {
      const a = this.answer(ref, call);
      if (a instanceof Error) throw a;
      out.push(a);
    }
    return out;
  }
}

export const ok = (value: DlmsValue): ItemResult => ({ ok: true, value });
export const refused = (result: number): ItemResult => ({ ok: false, error: accessError(result, 'Reading') });
export const refKey = (ref: AttributeRef): string => `${ref.classId} ${formatObis(obisFromBytes(ref.logicalName))} ${ref.attributeId}`;
