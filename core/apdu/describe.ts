/**
 * One readable line per APDU for the trace view, e.g.
 * "GET.request-normal invoke=C0 class=8 (Clock) obis=0-0:1.0.0.255 attr=2".
 * Passwords and challenges are shown by length only unless `showSecrets` is set, so a trace can
 * be shared.
 */
import { asciiString, toHex } from '../bytes.js';
import { className } from '../cosem/class-names.js';
import { formatValue, type FormatOptions } from '../axdr/format.js';
import type { DlmsValue } from '../axdr/types.js';
import { DlmsError } from '../errors.js';
import { CIPHERED_APDU_NAMES, decodeUserInformation } from './acse.js';
import { aareDiagnosticName, ASSOCIATION_RESULT_NAMES } from './association-errors.js';
import { decodeApdu, isCipheredApdu } from './codec.js';
import { conformanceNames } from './conformance.js';
import { actionResultName, confirmedServiceErrorText, dataAccessResultName, obisText, serviceErrorValueName } from './results.js';
import type {
  AccessSelection,
  ActionResponseItem,
  Apdu,
  CosemAttributeDescriptor,
  CosemMethodDescriptor,
  DataBlockSA,
  GetDataResult,
  ReadResult,
  VariableAccess,
  WriteResult,
} from './types.js';

export interface DescribeOptions {
  /** Show passwords, HLS challenges and dedicated keys in full. */
  readonly showSecrets?: boolean;
  /** How much of each data value to show (core/axdr/format.ts). */
  readonly format?: FormatOptions;
}

const hex2 = (n: number): string => n.toString(16).padStart(2, '0').toUpperCase();

function printable(b: Uint8Array): string {
  for (let i = 0; i < b.length; i++) if (b[i]! < 0x20 || b[i]! > 0x7e) return '';
  return ` ('${asciiString(b)}')`;
}

function secret(b: Uint8Array, o: DescribeOptions): string {
  return o.showSecrets ? `${toHex(b)}${printable(b)}` : `(${b.length} bytes hidden)`;
}

function value(v: DlmsValue, o: DescribeOptions): string {
  return formatValue(v, o.format);
}

/** "class=8 (Clock)": the id to search for, the Blue Book name to read. */
function classText(classId: number): string {
  return `class=${classId} (${className(classId)})`;
}

function attribute(d: CosemAttributeDescriptor): string {
  return `${classText(d.classId)} obis=${obisText(d.instanceId)} attr=${d.attributeId}`;
}

function method(d: CosemMethodDescriptor): string {
  return `${classText(d.classId)} obis=${obisText(d.instanceId)} method=${d.methodId}`;
}

function selection(s: AccessSelection | undefined, o: DescribeOptions): string {
  if (s === undefined) return '';
  const by = s.selector === 1 ? 'range' : s.selector === 2 ? 'entry' : `selector ${s.selector}`;
  return ` selective access by ${by} (selector ${s.selector}) ${value(s.parameters, o)}`;
}

function darText(code: number): string {
  return `${dataAccessResultName(code) ?? 'undefined-result'}(${code})`;
}

function getDataResult(g: GetDataResult, o: DescribeOptions): string {
  return g.kind === 'data' ? `data: ${value(g.data, o)}` : `result=${darText(g.result)}`;
}

function block(b: DataBlockSA): string {
  return `last_block=${b.lastBlock ? 1 : 0} block=${b.blockNumber} raw_data_len=${b.rawData.length}`;
}

function actionItem(item: ActionResponseItem, o: DescribeOptions): string {
  const result = `result=${actionResultName(item.result) ?? 'undefined-result'}(${item.result})`;
  return item.returnParameters === undefined ? result : `${result} return ${getDataResult(item.returnParameters, o)}`;
}

function variable(v: VariableAccess, o: DescribeOptions): string {
  switch (v.kind) {
    case 'variable-name':
      return `name=0x${v.variableName.toString(16).toUpperCase()}`;
    case 'parameterized-access':
      return `name=0x${v.variableName.toString(16).toUpperCase()} selector=${v.selector} ${value(v.parameter, o)}`;
    case 'block-number-access':
      return `block=${v.blockNumber}`;
    case 'read-data-block-access':
      return `read-block last_block=${v.lastBlock ? 1 : 0} block=${v.blockNumber} raw_data_len=${v.rawData.length}`;
    case 'write-data-block-access':
      return `write-block last_block=${v.lastBlock ? 1 : 0} block=${v.blockNumber}`;
    default: {
      const never: never = v;
      return String((never as VariableAccess).kind);
    }
  }
}

function readResult(res: ReadResult, o: DescribeOptions): string {
  switch (res.kind) {
    case 'data':
      return value(res.data, o);
    case 'data-access-error':
      return `error=${darText(res.result)}`;
    case 'data-block-result':
      return `block last_block=${res.lastBlock ? 1 : 0} block=${res.blockNumber} raw_data_len=${res.rawData.length}`;
    case 'block-number':
      return `block=${res.blockNumber}`;
    default: {
      const never: never = res;
      return String((never as ReadResult).kind);
    }
  }
}

function writeResult(res: WriteResult): string {
  switch (res.kind) {
    case 'success':
      return 'success';
    case 'data-access-error':
      return `error=${darText(res.result)}`;
    case 'block-number':
      return `block=${res.blockNumber}`;
    default: {
      const never: never = res;
      return String((never as WriteResult).kind);
    }
  }
}

function conformance(value: number): string {
  return `conformance=0x${value.toString(16).toUpperCase().padStart(6, '0')} (${conformanceNames(value).join(',')})`;
}

function userInformation(bytes: Uint8Array | undefined, o: DescribeOptions): string {
  if (bytes === undefined) return '';
  try {
    const info = decodeUserInformation(bytes);
    if (info.kind === 'ciphered-user-information') return ` ${info.name} (${bytes.length} bytes)`;
    return ` ${describeApdu(info, o)}`;
  } catch (e) {
    return ` user-information unreadable: ${e instanceof Error ? e.message : String(e)}`;
  }
}

function list<T>(items: readonly T[], f: (item: T) => string): string {
  return `[${items.map(f).join('; ')}]`;
}

/** One line describing the APDU, in the style of the trace notes. */
export function describeApdu(apdu: Apdu, options: DescribeOptions = {}): string {
  const o = options;
  switch (apdu.kind) {
    case 'aarq': {
      const parts = [`AARQ context=${apdu.applicationContextName}`];
      if (apdu.callingApTitle) parts.push(`calling-AP-title=${toHex(apdu.callingApTitle)}${printable(apdu.callingApTitle)}`);
      if (apdu.acseRequirements) parts.push(`acse-requirements=${apdu.acseRequirements.authentication ? 'authentication' : 'none'}`);
      if (apdu.mechanismName) parts.push(`mechanism=${apdu.mechanismName}`);
      if (apdu.callingAuthenticationValue) parts.push(`calling-authentication-value=${secret(apdu.callingAuthenticationValue, o)}`);
      return parts.join(' ') + userInformation(apdu.userInformation, o);
    }
    case 'aare': {
      const result = ASSOCIATION_RESULT_NAMES[apdu.result] ?? `result ${apdu.result}`;
      const d = apdu.resultSourceDiagnostic;
      const parts = [
        `AARE context=${apdu.applicationContextName} result=${result}(${apdu.result}) diagnostic=${d.source}:${d.diagnostic} (${aareDiagnosticName(apdu)})`,
      ];
      if (apdu.respondingApTitle) parts.push(`responding-AP-title=${toHex(apdu.respondingApTitle)}${printable(apdu.respondingApTitle)}`);
      if (apdu.responderAcseRequirements) {
        parts.push(`acse-requirements=${apdu.responderAcseRequirements.authentication ? 'authentication' : 'none'}`);
      }
      if (apdu.mechanismName) parts.push(`mechanism=${apdu.mechanismName}`);
      if (apdu.respondingAuthenticationValue) parts.push(`responding-authentication-value=${secret(apdu.respondingAuthenticationValue, o)}`);
      return parts.join(' ') + userInformation(apdu.userInformation, o);
    }
    case 'rlrq':
    case 'rlre':
      return `${apdu.kind.toUpperCase()}${apdu.reason === undefined ? '' : ` reason=${apdu.reason}`}${userInformation(apdu.userInformation, o)}`;
    case 'initiate-request': {
      const extras = [
        apdu.dedicatedKey ? ` dedicated-key=${secret(apdu.dedicatedKey, o)}` : '',
        apdu.responseAllowed === false ? ' response-allowed=false' : '',
        apdu.proposedQualityOfService !== undefined ? ` qos=${apdu.proposedQualityOfService}` : '',
      ].join('');
      return (
        `InitiateRequest${extras} dlms-version=${apdu.proposedDlmsVersionNumber} ${conformance(apdu.proposedConformance)} ` +
        `client-max-receive-pdu-size=${apdu.clientMaxReceivePduSize}`
      );
    }
    case 'initiate-response':
      return (
        `InitiateResponse${apdu.negotiatedQualityOfService !== undefined ? ` qos=${apdu.negotiatedQualityOfService}` : ''} ` +
        `dlms-version=${apdu.negotiatedDlmsVersionNumber} ${conformance(apdu.negotiatedConformance)} ` +
        `server-max-receive-pdu-size=${apdu.serverMaxReceivePduSize} vaa-name=0x${apdu.vaaName.toString(16).toUpperCase().padStart(4, '0')}`
      );
    case 'confirmed-service-error':
      return (
        `ConfirmedServiceError ${apdu.service} ${apdu.errorType}=${serviceErrorValueName(apdu.errorType, apdu.error)}(${apdu.error}): ` +
        `${confirmedServiceErrorText(apdu)}`
      );
    case 'get-request-normal':
      return `GET.request-normal invoke=${hex2(apdu.invokeIdAndPriority)} ${attribute(apdu)}${selection(apdu.accessSelection, o)}`;
    case 'get-request-next':
      return `GET.request-next invoke=${hex2(apdu.invokeIdAndPriority)} block=${apdu.blockNumber}`;
    case 'get-request-with-list':
      return `GET.request-with-list invoke=${hex2(apdu.invokeIdAndPriority)} ${list(apdu.attributes, (d) => attribute(d) + selection(d.accessSelection, o))}`;
    case 'get-response-normal':
      return `GET.response-normal invoke=${hex2(apdu.invokeIdAndPriority)} ${getDataResult(apdu.result, o)}`;
    case 'get-response-with-datablock': {
      const r = apdu.result;
      const body = r.kind === 'raw-data' ? `raw_data_len=${r.rawData.length}` : `result=${darText(r.result)}`;
      return `GET.response-with-datablock invoke=${hex2(apdu.invokeIdAndPriority)} last_block=${apdu.lastBlock ? 1 : 0} block=${apdu.blockNumber} ${body}`;
    }
    case 'get-response-with-list':
      return `GET.response-with-list invoke=${hex2(apdu.invokeIdAndPriority)} ${list(apdu.results, (g) => getDataResult(g, o))}`;
    case 'set-request-normal':
      return (
        `SET.request-normal invoke=${hex2(apdu.invokeIdAndPriority)} ${attribute(apdu)}${selection(apdu.accessSelection, o)} value: ` +
        `${value(apdu.value, o)}`
      );
    case 'set-request-with-first-datablock':
      return (
        `SET.request-with-first-datablock invoke=${hex2(apdu.invokeIdAndPriority)} ${attribute(apdu)}${selection(apdu.accessSelection, o)} ` +
        `${block(apdu.datablock)}`
      );
    case 'set-request-with-datablock':
      return `SET.request-with-datablock invoke=${hex2(apdu.invokeIdAndPriority)} ${block(apdu.datablock)}`;
    case 'set-request-with-list':
      return (
        `SET.request-with-list invoke=${hex2(apdu.invokeIdAndPriority)} ${list(apdu.attributes, (d) => attribute(d) + selection(d.accessSelection, o))} ` +
        `values: ${list(apdu.values, (v) => value(v, o))}`
      );
    case 'set-request-with-list-and-first-datablock':
      return `SET.request-with-list-and-first-datablock invoke=${hex2(apdu.invokeIdAndPriority)} ${list(apdu.attributes, attribute)} ${block(apdu.datablock)}`;
    case 'set-response-normal':
      return `SET.response-normal invoke=${hex2(apdu.invokeIdAndPriority)} result=${darText(apdu.result)}`;
    case 'set-response-datablock':
      return `SET.response-datablock invoke=${hex2(apdu.invokeIdAndPriority)} block=${apdu.blockNumber}`;
    case 'set-response-last-datablock':
      return `SET.response-last-datablock invoke=${hex2(apdu.invokeIdAndPriority)} result=${darText(apdu.result)} block=${apdu.blockNumber}`;
    case 'set-response-last-datablock-with-list':
      return `SET.response-last-datablock-with-list invoke=${hex2(apdu.invokeIdAndPriority)} results=${list(apdu.results, darText)} block=${apdu.blockNumber}`;
    case 'set-response-with-list':
      return `SET.response-with-list invoke=${hex2(apdu.invokeIdAndPriority)} results=${list(apdu.results, darText)}`;
    case 'action-request-normal': {
      const params = apdu.methodInvocationParameters;
      return `ACTION.request-normal invoke=${hex2(apdu.invokeIdAndPriority)} ${method(apdu)}${params === undefined ? '' : ` params: ${value(params, o)}`}`;
    }
    case 'action-request-next-pblock':
      return `ACTION.request-next-pblock invoke=${hex2(apdu.invokeIdAndPriority)} block=${apdu.blockNumber}`;
    case 'action-request-with-list':
      return (
        `ACTION.request-with-list invoke=${hex2(apdu.invokeIdAndPriority)} ${list(apdu.methods, method)} params: ` +
        `${list(apdu.methodInvocationParameters, (v) => value(v, o))}`
      );
    case 'action-request-with-first-pblock':
      return `ACTION.request-with-first-pblock invoke=${hex2(apdu.invokeIdAndPriority)} ${method(apdu)} ${block(apdu.pblock)}`;
    case 'action-request-with-list-and-first-pblock':
      return `ACTION.request-with-list-and-first-pblock invoke=${hex2(apdu.invokeIdAndPriority)} ${list(apdu.methods, method)} ${block(apdu.pblock)}`;
    case 'action-request-with-pblock':
      return `ACTION.request-with-pblock invoke=${hex2(apdu.invokeIdAndPriority)} ${block(apdu.pblock)}`;
    case 'action-response-normal':
      return `ACTION.response-normal invoke=${hex2(apdu.invokeIdAndPriority)} ${actionItem(apdu, o)}`;
    case 'action-response-with-pblock':
      return `ACTION.response-with-pblock invoke=${hex2(apdu.invokeIdAndPriority)} ${block(apdu.pblock)}`;
    case 'action-response-with-list':
      return `ACTION.response-with-list invoke=${hex2(apdu.invokeIdAndPriority)} ${list(apdu.responses, (i) => actionItem(i, o))}`;
    case 'action-response-next-pblock':
      return `ACTION.response-next-pblock invoke=${hex2(apdu.invokeIdAndPriority)} block=${apdu.blockNumber}`;
    case 'exception-response': {
      const state = apdu.stateError === 1 ? 'service-not-allowed' : 'service-unknown';
      const se = apdu.serviceError;
      const counter = se.kind === 'invocation-counter-error' ? `(${se.invocationCounter})` : '';
      return `EXCEPTION-Response state-error=${state} service-error=${se.kind}${counter}`;
    }
    case 'general-block-transfer':
      return (
        `General-Block-Transfer last_block=${apdu.lastBlock ? 1 : 0} streaming=${apdu.streaming ? 1 : 0} window=${apdu.windowSize} ` +
        `block=${apdu.blockNumber} ack=${apdu.blockNumberAcknowledged} block_data_len=${apdu.blockData.length}`
      );
    case 'event-notification-request': {
      const time = apdu.time === undefined ? '' : ` time=${value({ type: 'octet-string', value: apdu.time }, o)}`;
      return `Event-Notification-Request${time} ${attribute(apdu)} value: ${value(apdu.value, o)}`;
    }
    case 'data-notification': {
      const time = apdu.dateTime.length === 0 ? '' : ` time=${value({ type: 'octet-string', value: apdu.dateTime }, o)}`;
      return (
        `Data-Notification id=0x${apdu.longInvokeIdAndPriority.toString(16).toUpperCase().padStart(8, '0')}${time} body: ` +
        `${value(apdu.notificationBody, o)}`
      );
    }
    case 'read-request':
      return `ReadRequest ${list(apdu.variables, (v) => variable(v, o))}`;
    case 'read-response':
      return `ReadResponse ${list(apdu.results, (r) => readResult(r, o))}`;
    case 'write-request':
    case 'unconfirmed-write-request':
      return (
        `${apdu.kind === 'write-request' ? 'WriteRequest' : 'UnconfirmedWriteRequest'} ${list(apdu.variables, (v) => variable(v, o))} values: ` +
        `${list(apdu.values, (v) => value(v, o))}`
      );
    case 'write-response':
      return `WriteResponse ${list(apdu.results, writeResult)}`;
    default: {
      const never: never = apdu;
      return `unknown APDU ${(never as Apdu).kind}`;
    }
  }
}

/** Describe raw APDU bytes: decoded, ciphered (named, to be deciphered first), or why they do not decode. */
export function describeApduBytes(bytes: Uint8Array, options: DescribeOptions = {}): string {
  if (isCipheredApdu(bytes)) {
    return `${CIPHERED_APDU_NAMES.get(bytes[0]!)} (${bytes.length} bytes, ciphered)`;
  }
  try {
    return describeApdu(decodeApdu(bytes), options);
  } catch (e) {
    if (e instanceof DlmsError) return `undecodable APDU (${bytes.length} bytes): ${e.message}`;
    throw e;
  }
}
