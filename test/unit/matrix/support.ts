/**
 * The meters of the compatibility matrix: a normal and a strict virtual meter (../shared/METERS.md),
 * each over TCP (HDLC and the wrapper) and over a serial pty pair (HDLC, with and without an
 * IEC 62056-21 mode E sign-on), with the four kinds of client the issue names: public (16), Low (17),
 * High with a short secret (18) and HLS-GMAC with authenticated encryption (1, Green Book keys).
 * Every server binds 127.0.0.1; every serial meter sits on one end of a socat pty pair.
 */
import type { VirtualMeterConfig } from '../../../core/meter/config.js';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';
import { startVirtualMeterSerial, type VirtualMeterSerial } from '../../../electron/services/virtual-meter-serial.js';
import { ptyPair, socatMissing, type PtyPair } from '../links/support.js';

export type MeterKind = 'normal' | 'strict';
export type LinkKind = 'tcp-hdlc' | 'tcp-wrapper' | 'serial-hdlc' | 'serial-mode-e';
export type ClientKind = 'public' | 'low' | 'high' | 'gmac';

export const METER_KINDS: readonly MeterKind[] = ['normal', 'strict'];
export const LINK_KINDS: readonly LinkKind[] = ['tcp-hdlc', 'tcp-wrapper', 'serial-hdlc', 'serial-mode-e'];
export const CLIENT_KINDS: readonly ClientKind[] = ['public', 'low', 'high', 'gmac'];

/** The Low password of client 17 and the short High secret of client 18 (5 characters, zero-padded). */
export const LOW_PASSWORD = 'Secret-Pass-42';
export const HIGH_SECRET = 'Gurux';
/** The Green Book keys client 1 of the virtual meter uses (HLS-GMAC, authenticated encryption). */
export const BLOCK_CIPHER_KEY = '000102030405060708090A0B0C0D0E0F';
export const AUTHENTICATION_KEY = 'D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF';
/** Where the meter keeps its invocation counter for the public client to read (class 1). */
export const INVOCATION_COUNTER_OBIS = '0-0:43.1.0.255';

/** How each client kind associates: the device fields of the app and the options of the CLI. */
export interface ClientSetup {
  readonly clientAddress: number;
  readonly device: {
    readonly accessSecurity: 'none' | 'low' | 'high' | 'high-gmac';
    readonly password: string;
    readonly transportSecurity: 'none' | 'authenticated-encryption';
    readonly authenticationKey: string;
    readonly blockCipherKey: string;
    readonly invocationCounterObis: string;
  };
  readonly cli: readonly string[];
}

export const CLIENTS: Readonly<Record<ClientKind, ClientSetup>> = {
  public: {
    clientAddress: 16,
    device: { accessSecurity: 'none', password: '', transportSecurity: 'none', authenticationKey: '', blockCipherKey: '', invocationCounterObis: '' },
    cli: ['--client-address', '16'],
  },
  low: {
    clientAddress: 17,
    device: { accessSecurity: 'low', password: LOW_PASSWORD, transportSecurity: 'none', authenticationKey: '', blockCipherKey: '', invocationCounterObis: '' },
    cli: ['--client-address', '17', '--auth', 'low', '--password', LOW_PASSWORD],
  },
  high: {
    clientAddress: 18,
    device: { accessSecurity: 'high', password: HIGH_SECRET, transportSecurity: 'none', authenticationKey: '', blockCipherKey: '', invocationCounterObis: '' },
    cli: ['--client-address', '18', '--auth', 'high', '--password', HIGH_SECRET],
  },
  gmac: {
    clientAddress: 1,
    device: {
      accessSecurity: 'high-gmac',
      password: '',
      transportSecurity: 'authenticated-encryption',
      authenticationKey: AUTHENTICATION_KEY,
      blockCipherKey: BLOCK_CIPHER_KEY,
      invocationCounterObis: INVOCATION_COUNTER_OBIS,
    },
    cli: [
      '--client-address',
      '1',
      '--auth',
      'high-gmac',
      '--security',
      'authenticated-encryption',
      '--auth-key',
      AUTHENTICATION_KEY,
      '--block-key',
      BLOCK_CIPHER_KEY,
      '--ic-obis',
      INVOCATION_COUNTER_OBIS,
    ],
  },
};

/** The meter's configuration: the same meter in both kinds, strict or not, with every client kind. */
export function meterConfig(kind: MeterKind): VirtualMeterConfig {
  return { strict: kind === 'strict', password: LOW_PASSWORD, highSecret: HIGH_SECRET, profile: { rows: 2880 } };
}

/** Where a client reaches one meter: TCP host:port, or the app's end of a pty pair. */
export interface MeterEndpoint {
  readonly meter: MeterKind;
  readonly link: LinkKind;
  /** TCP: '127.0.0.1:PORT'. */
  readonly tcp: string | null;
  /** Serial: the client's end of the pty pair. */
  readonly serialPath: string | null;
}

export interface MatrixMeters {
  endpoint(meter: MeterKind, link: LinkKind): MeterEndpoint;
  /** Why serial endpoints are missing (no socat), or null. */
  readonly serialSkip: string | null;
  /**
   * How many times the meters of this kind reset a client's link: on one link (the TCP server counts
   * HDLC and the wrapper together), or on all of them.
   */
  drops(meter: MeterKind, link?: LinkKind): number;
  close(): Promise<void>;
}

/** Start the two TCP servers and (with socat) four serial meters. Close them with close(). */
export async function startMatrixMeters(): Promise<MatrixMeters> {
  const servers = new Map<MeterKind, VirtualMeterServer>();
  const serial = new Map<string, { pty: PtyPair; meter: VirtualMeterSerial }>();
  const serialSkip = socatMissing();
  for (const kind of METER_KINDS) {
    servers.set(kind, await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: 0, meter: meterConfig(kind) }));
    if (serialSkip !== null) continue;
    for (const modeE of [false, true]) {
      const pty = await ptyPair();
      const meter = await startVirtualMeterSerial({ path: pty.b, meter: meterConfig(kind), modeE });
      serial.set(`${kind}/${modeE}`, { pty, meter });
    }
  }
  return {
    serialSkip,
    endpoint(meter, link) {
      const server = servers.get(meter)!;
      switch (link) {
        case 'tcp-hdlc':
          return { meter, link, tcp: `127.0.0.1:${server.hdlcPort}`, serialPath: null };
        case 'tcp-wrapper':
          return { meter, link, tcp: `127.0.0.1:${server.wrapperPort}`, serialPath: null };
        case 'serial-hdlc':
        case 'serial-mode-e': {
          const s = serial.get(`${meter}/${link === 'serial-mode-e'}`);
          if (s === undefined) throw new Error(serialSkip ?? 'no serial meter');
          return { meter, link, tcp: null, serialPath: s.pty.a };
        }
        default: {
          const never: never = link;
          return never;
        }
      }
    },
    drops(meter, link) {
      const tcp = servers.get(meter)!.drops;
      const serialDrops = (modeE: boolean): number => serial.get(`${meter}/${modeE}`)?.meter.drops ?? 0;
      if (link === undefined) return tcp + serialDrops(false) + serialDrops(true);
      return link.startsWith('tcp') ? tcp : serialDrops(link === 'serial-mode-e');
    },
    async close() {
      for (const s of serial.values()) {
        await s.meter.close();
        await s.pty.close();
      }
      for (const server of servers.values()) await server.close();
    },
  };
}

/** The CLI's link options for an endpoint: --tcp with the interface, or --serial with --mode-e. */
export function cliLinkOptions(e: MeterEndpoint): string[] {
  if (e.tcp !== null) return ['--tcp', e.tcp, '--interface', e.link === 'tcp-wrapper' ? 'wrapper' : 'hdlc'];
  return ['--serial', e.serialPath!, ...(e.link === 'serial-mode-e' ? ['--mode-e'] : [])];
}
