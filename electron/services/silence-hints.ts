/**
 * What to check when a meter stays silent, said for the link at hand. The session only knows that no
 * answer came to a request; here the device's settings say whether that was an SNRM on TCP (a wrong
 * address, or a WRAPPER meter on the port), an SNRM on a serial line (cable, probe, speed, mode E), an
 * AARQ on the wrapper (the wPorts), or a request after the association (the meter may not take it).
 * Fields are named as the settings pages name them.
 */
import type { DeviceLinkSettings } from '../../core/app/link-settings.js';
import { FIELD_LABELS } from '../../core/app/labels.js';
import { DlmsError, type SerializedError } from '../../core/errors.js';

const C = FIELD_LABELS.connection;
const D = FIELD_LABELS.device;

/** The hint for silence after `request` on this device's link, or null when there is nothing better to say. */
export function silenceHint(settings: DeviceLinkSettings, request: SerializedError['request']): string | null {
  const link = settings.link;
  const addresses = `the ${D.serverAddress} and ${D.logicalServerAddress} (or ${D.serialNumber} addressing) and the ${D.clientAddress}`;
  const service = request?.service;
  if (service === 'link' || (service === undefined && settings.transport === 'hdlc')) {
    if (link.kind === 'tcp') {
      return (
        `nothing on ${link.host}:${link.port} answered the HDLC SNRM: check the ${D.interfaceType} (a meter or gateway that speaks WRAPPER on this port ` +
        `ignores HDLC frames), ${addresses}`
      );
    }
    return (
      `nothing on ${link.path} answered the HDLC SNRM: check the cable or the optical probe (seated on the meter's port), the ${C['serial.baudRate']}, ` +
      `${C['serial.parity']} and ${C['serial.stopBits']}${link.modeE ? '' : `, ${C['serial.modeE']} for an optical port`}, ${addresses}, and that the ` +
      `meter is powered`
    );
  }
  if (service === 'association' && settings.transport === 'wrapper') {
    return (
      `nothing answered the AARQ on the wrapper: check the ${D.interfaceType} (HDLC on this port?), the ${D.serverAddress} (the meter's wPort, 1 for the ` +
      `management logical device) and the ${D.clientAddress} (the client's wPort)`
    );
  }
  if (service === 'association') {
    return (
      `the meter took the HDLC link but not the association: check the ${D.clientAddress}, the ${D.accessSecurity} and ${D.password}, and the ` +
      `${D.transportSecurity} with its keys`
    );
  }
  if (service !== undefined && service !== 'release' && service !== 'disconnect') {
    return 'the meter went silent after this request: it may not take it (the trace shows the request), or the line dropped';
  }
  return null;
}

/** A timeout's message with the session's generic hint replaced by one that fits the link. */
export function explainSilence<E extends DlmsError | SerializedError>(error: E, settings: DeviceLinkSettings): E {
  if (error.name !== 'TimeoutError') return error;
  const hint = silenceHint(settings, error.request);
  if (hint === null) return error;
  const head = error.message.replace(/: check .*$/s, '');
  const message = `${head}: ${hint}`;
  if (error instanceof DlmsError) {
    Object.defineProperty(error, 'message', { value: message });
    return error;
  }
  return { ...error, message };
}
