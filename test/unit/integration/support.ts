import type { DlmsValue } from '../../../core/axdr/types.js';
import { asciiBytes } from '../../../core/bytes.js';
import { oneByteAddress } from '../../../core/hdlc/address.js';
import { HdlcLink } from '../../../core/hdlc/link.js';
import { createVirtualMeter, type VirtualMeter } from '../../../core/meter/index.js';
import type { VirtualMeterConfig } from '../../../core/meter/config.js';
import { obisToBytes, parseObis } from '../../../core/obis.js';
import { DlmsClient, type DlmsClientOptions } from '../../../core/session/client.js';
import { InMemoryTransport, type InMemoryTransportOptions } from '../../../core/session/memory-transport.js';
import type { AttributeRef } from '../../../core/session/types.js';
import { WrapperLink } from '../../../core/wrapper/link.js';

/** 2026-11-22T01:51:18Z, the instant of the traces. */
export const NOW = Date.UTC(2026, 10, 22, 1, 51, 18);

export interface Setup {
  readonly transport?: 'hdlc' | 'wrapper';
  readonly referencing?: 'ln' | 'sn';
  /** 16 public (default) or 17 Low. */
  readonly client?: number;
  readonly password?: string;
  readonly meter?: VirtualMeterConfig;
  /** A strict meter (meter config `strict: true`): HDLC 128/1, lists of 10, resets, silence. */
  readonly strict?: boolean;
  readonly session?: DlmsClientOptions;
  readonly wire?: InMemoryTransportOptions;
  /** HDLC: what the client proposes in the SNRM. */
  readonly maxInfo?: number;
  readonly window?: number;
}

export interface Connected {
  readonly meter: VirtualMeter;
  readonly client: DlmsClient;
  readonly transport: InMemoryTransport;
}

export function connect(setup: Setup = {}): Connected {
  const kind = setup.transport ?? 'hdlc';
  const referencing = setup.referencing ?? 'ln';
  const clientAddress = setup.client ?? 16;
  const meter = createVirtualMeter({
    referencing: referencing === 'sn' ? 'both' : 'ln',
    ...(setup.strict === true && { strict: true }),
    ...setup.meter,
  });
  const transport = new InMemoryTransport(meter.connection(kind), { startMs: NOW, ...setup.wire });
  const link =
    kind === 'hdlc'
      ? new HdlcLink({
          role: 'client',
          clientAddress,
          serverAddress: oneByteAddress(1),
          proposed: {
            ...(setup.maxInfo !== undefined ? { maxInfoTx: setup.maxInfo, maxInfoRx: setup.maxInfo } : {}),
            ...(setup.window !== undefined ? { windowTx: setup.window, windowRx: setup.window } : {}),
          },
        })
      : new WrapperLink({ role: 'client', clientWPort: clientAddress, serverWPort: 1 });
  const low = clientAddress === 17 || setup.password !== undefined;
  const client = new DlmsClient(link, transport, {
    referencing,
    ...(low ? { authentication: 'low' as const, password: asciiBytes(setup.password ?? '00000000') } : {}),
    ...setup.session,
  });
  return { meter, client, transport };
}

export const ln = (text: string): Uint8Array => obisToBytes(parseObis(text));

export function attr(classId: number, obis: string, attributeId: number, access?: AttributeRef['access']): AttributeRef {
  return { classId, logicalName: ln(obis), attributeId, ...(access ? { access } : {}) };
}

export function num(v: DlmsValue): number {
  if ('value' in v && typeof v.value === 'number') return v.value;
  if ('value' in v && typeof v.value === 'bigint') return Number(v.value);
  throw new Error(`${v.type} is not a number`);
}

/** The xDLMS service tags the client sent, from the transport's record (wrapper: APDU at byte 8). */
export function sentServices(t: InMemoryTransport): string[] {
  return t.wire
    .filter((w) => w.direction === 'to-meter' && w.bytes.length > 9)
    .map((w) => `${w.bytes[8]!.toString(16)}${w.bytes[9]!.toString(16).padStart(2, '0')}`);
}
