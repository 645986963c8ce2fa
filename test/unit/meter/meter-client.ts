/**
 * A small client for testing the virtual meter with the project's own codecs: an HDLC or wrapper
 * link in the client role plus the APDU codec, pumping bytes between them in memory. Every loop
 * is bounded so a meter that stops answering fails the test instead of hanging it.
 */
import { expect } from 'vitest';
import { decodeDataBytes } from '../../../core/axdr/codec.js';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { decodeApdu, encodeApdu, encodeUserInformation } from '../../../core/apdu/index.js';
import type { AccessSelection, Aare, Apdu, ApplicationContextName, GetDataResult, MechanismName } from '../../../core/apdu/types.js';
import type { DataLink } from '../../../core/datalink.js';
import type { HdlcAddress } from '../../../core/hdlc/address.js';
import { HdlcLink } from '../../../core/hdlc/link.js';
import { WrapperLink } from '../../../core/wrapper/link.js';
import { asciiBytes, concatBytes } from '../../../core/bytes.js';
import type { MeterConnection, VirtualMeter } from '../../../core/meter/index.js';
import { obis } from '../../../core/meter/values.js';

/** 2026-11-22T01:51:18Z, the instant of the traces. */
export const TRACE_TIME = 1_795_312_278_000;

export interface ClientOptions {
  readonly transport?: 'hdlc' | 'wrapper';
  readonly clientAddress?: number;
  readonly serverAddress?: HdlcAddress;
  readonly serverWPort?: number;
  readonly maxInfo?: number;
  readonly window?: number;
  readonly now?: number;
}

export interface AssociateOptions {
  readonly context?: ApplicationContextName;
  readonly mechanism?: MechanismName;
  readonly password?: string;
  readonly conformance?: number;
  readonly maxPdu?: number;
  readonly dlmsVersion?: number;
}

/** What the client proposes by default: the traces' 0x20525F, block transfer with SET and the SN services. */
export const CLIENT_CONFORMANCE = 0x205a5f | 0x1c0020;

export class MeterClient {
  readonly link: HdlcLink | WrapperLink;
  readonly connection: MeterConnection;
  now: number;
  /** Every frame or message the meter sent, for tests that look at the wire. */
  readonly fromMeter: Uint8Array[] = [];
  /** Every frame or message the client sent. */
  readonly toMeter: Uint8Array[] = [];
  private invoke = 0;

  constructor(meter: VirtualMeter, options: ClientOptions = {}) {
    const transport = options.transport ?? 'hdlc';
    this.now = options.now ?? TRACE_TIME;
    this.connection = meter.connection(transport);
    const clientAddress = options.clientAddress ?? 16;
    if (transport === 'hdlc') {
      this.link = new HdlcLink({
        role: 'client',
        clientAddress,
        serverAddress: options.serverAddress ?? { size: 1, upper: 1 },
        proposed: {
          maxInfoTx: options.maxInfo ?? 128,
          maxInfoRx: options.maxInfo ?? 128,
          windowTx: options.window ?? 1,
          windowRx: options.window ?? 1,
        },
      });
    } else {
      this.link = new WrapperLink({ role: 'client', clientWPort: clientAddress, serverWPort: options.serverWPort ?? 1 });
    }
  }

  /** Bytes to the meter; everything it answers goes through the client link. */
  private deliver(frames: readonly Uint8Array[]): { apdus: Uint8Array[]; events: string[] } {
    const apdus: Uint8Array[] = [];
    const events: string[] = [];
    let queue = [...frames];
    for (let round = 0; queue.length > 0; round++) {
      if (round > 100_000) throw new Error('the exchange does not end');
      const next: Uint8Array[] = [];
      for (const f of queue) {
        this.toMeter.push(f);
        for (const answer of this.connection.receive(f, this.now)) {
          this.fromMeter.push(answer);
          this.link.receive(answer);
        }
        for (;;) {
          const e = this.link.nextEvent();
          if (e.kind === 'need-data') break;
          if (e.kind === 'send') next.push(e.bytes);
          else if (e.kind === 'apdu') apdus.push(e.apdu.slice());
          else events.push(e.kind === 'closed' ? `closed: ${e.reason}` : e.kind === 'error' ? `error: ${e.error.message}` : e.kind);
        }
      }
      queue = next;
    }
    return { apdus, events };
  }

  /** HDLC: SNRM/UA. Returns the client link's events. */
  open(): string[] {
    const snrm = (this.link as DataLink).open();
    if (snrm === null) {
      // The wrapper has nothing to open; drain its 'opened' event.
      const events: string[] = [];
      for (let e = this.link.nextEvent(); e.kind !== 'need-data'; e = this.link.nextEvent()) events.push(e.kind);
      return events;
    }
    return this.deliver([snrm]).events;
  }

  /** Send raw APDU bytes; the meter's answers (0 or more APDUs). */
  exchangeRaw(apdu: Uint8Array): Uint8Array[] {
    return this.deliver(this.link.sendApdu(apdu)).apdus;
  }

  /** Send an APDU and decode the one answer. */
  request(apdu: Apdu): Apdu {
    const answers = this.exchangeRaw(encodeApdu(apdu));
    expect(answers.length, 'one answer APDU').toBe(1);
    return decodeApdu(answers[0]!);
  }

  nextInvoke(): number {
    this.invoke = (this.invoke + 1) & 0x0f;
    return 0xc0 | this.invoke;
  }

  associate(options: AssociateOptions = {}): Aare {
    const ui = encodeUserInformation({
      kind: 'initiate-request',
      proposedDlmsVersionNumber: options.dlmsVersion ?? 6,
      proposedConformance: options.conformance ?? CLIENT_CONFORMANCE,
      clientMaxReceivePduSize: options.maxPdu ?? 0xffff,
    });
    const mechanism = options.mechanism ?? (options.password === undefined ? undefined : 'low');
    const answer = this.request({
      kind: 'aarq',
      applicationContextName: options.context ?? 'logical-name',
      ...(mechanism !== undefined && { acseRequirements: { authentication: true }, mechanismName: mechanism }),
      ...(options.password !== undefined && { callingAuthenticationValue: asciiBytes(options.password) }),
      userInformation: ui,
    });
    expect(answer.kind).toBe('aare');
    return answer as Aare;
  }

  /** GET one attribute, following datablocks; the Get-Data-Result and how many blocks it took. */
  getResult(classId: number, code: string, attributeId: number, accessSelection?: AccessSelection): { result: GetDataResult; blocks: number } {
    const invokeIdAndPriority = this.nextInvoke();
    let answer = this.request({
      kind: 'get-request-normal',
      invokeIdAndPriority,
      classId,
      instanceId: obis(code),
      attributeId,
      ...(accessSelection !== undefined && { accessSelection }),
    });
    if (answer.kind === 'get-response-normal') {
      expect(answer.invokeIdAndPriority).toBe(invokeIdAndPriority);
      return { result: answer.result, blocks: 0 };
    }
    const parts: Uint8Array[] = [];
    for (let expected = 1; ; expected++) {
      if (expected > 1_000_000) throw new Error('too many blocks');
      if (answer.kind !== 'get-response-with-datablock') throw new Error(`unexpected ${answer.kind}`);
      expect(answer.invokeIdAndPriority).toBe(invokeIdAndPriority);
      expect(answer.blockNumber).toBe(expected);
      if (answer.result.kind === 'data-access-result') return { result: answer.result, blocks: expected };
      parts.push(answer.result.rawData);
      if (answer.lastBlock) return { result: { kind: 'data', data: decodeDataBytes(concatBytes(parts)) }, blocks: expected };
      answer = this.request({ kind: 'get-request-next', invokeIdAndPriority, blockNumber: expected });
    }
  }

  /** GET one attribute's value; fails the test on a data-access-result. */
  get(classId: number, code: string, attributeId: number, accessSelection?: AccessSelection): DlmsValue {
    const { result } = this.getResult(classId, code, attributeId, accessSelection);
    if (result.kind !== 'data') throw new Error(`GET ${classId}/${code}/${attributeId} refused with data-access-result ${result.result}`);
    return result.data;
  }

  /** The data-access-result of a GET that must fail. */
  getRefusal(classId: number, code: string, attributeId: number, accessSelection?: AccessSelection): number {
    const { result } = this.getResult(classId, code, attributeId, accessSelection);
    if (result.kind !== 'data-access-result') throw new Error(`GET ${classId}/${code}/${attributeId} was expected to fail`);
    return result.result;
  }

  set(classId: number, code: string, attributeId: number, value: DlmsValue): number {
    const answer = this.request({
      kind: 'set-request-normal',
      invokeIdAndPriority: this.nextInvoke(),
      classId,
      instanceId: obis(code),
      attributeId,
      value,
    });
    if (answer.kind !== 'set-response-normal') throw new Error(`unexpected ${answer.kind}`);
    return answer.result;
  }

  action(classId: number, code: string, methodId: number, parameters?: DlmsValue): { result: number; returned?: GetDataResult } {
    const invokeIdAndPriority = this.nextInvoke();
    const answer = this.request({
      kind: 'action-request-normal',
      invokeIdAndPriority,
      classId,
      instanceId: obis(code),
      methodId,
      ...(parameters !== undefined && { methodInvocationParameters: parameters }),
    });
    if (answer.kind !== 'action-response-normal') throw new Error(`unexpected ${answer.kind}`);
    expect(answer.invokeIdAndPriority).toBe(invokeIdAndPriority);
    return { result: answer.result, ...(answer.returnParameters !== undefined && { returned: answer.returnParameters }) };
  }
}

/** Open (HDLC) and associate as the public client. */
export function publicClient(meter: VirtualMeter, options: ClientOptions & AssociateOptions = {}): MeterClient {
  const c = new MeterClient(meter, options);
  c.open();
  const aare = c.associate(options);
  expect(aare.result).toBe(0);
  return c;
}

/** Open (HDLC) and associate as the management client with the password. */
export function managementClient(meter: VirtualMeter, options: ClientOptions & AssociateOptions = {}): MeterClient {
  const c = new MeterClient(meter, { clientAddress: 17, ...options });
  c.open();
  const aare = c.associate({ password: meter.config.password, ...options });
  expect(aare.result).toBe(0);
  return c;
}

/** A small seeded generator for randomised tests, so a failure reproduces. */
export { prng as seeded } from '../../support/random.js';
