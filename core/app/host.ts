/**
 * "IP address" of a TCP connection: an IPv4 or IPv6 address, or a host name (RFC 1123), which is
 * what a gateway or a meter behind DNS needs. Returns why not, in the words of the rule.
 */
import * as z from 'zod';

const IPV6 = z.ipv6();
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export const HOST_RULE = 'an IPv4 address such as 192.168.1.10, an IPv6 address such as fd00::10, or a host name such as meter-7.example.net is allowed';

export function hostProblem(host: string): string | undefined {
  if (host === '') return 'it is empty';
  if (/\s/.test(host)) return 'it contains a space';
  if (host.startsWith('[') && host.endsWith(']')) return 'write an IPv6 address without the brackets';
  if (/^[^:]+:[0-9]+$/.test(host)) return 'the port goes in the Port field, not after a colon';
  if (host.includes(':')) return IPV6.safeParse(host).success ? undefined : 'it is not a well-formed IPv6 address';
  if (host.length > 253) return 'a host name has at most 253 characters';
  const labels = host.split('.');
  // A last label of digits only would make a mistyped IPv4 address look like a host name.
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) {
    const ok = labels.length === 4 && labels.every((l) => /^[0-9]{1,3}$/.test(l) && Number(l) <= 255);
    return ok ? undefined : 'an IPv4 address has four numbers from 0 to 255 separated by dots';
  }
  for (const label of labels) {
    if (label === '') return 'a host name has no empty part between dots';
    if (label.length > 63) return 'each part of a host name between dots has at most 63 characters';
    if (!LABEL.test(label)) return "a host name has letters, digits and '-' (not at the start or end of a part) separated by dots";
  }
  return undefined;
}
