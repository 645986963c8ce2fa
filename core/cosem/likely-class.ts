/**
 * The interface class an installer means when giving only an OBIS code: the CLI's `read OBIS` and
 * the cosem group page's value rows both start from it. The Blue Book (IEC 62056-6-1) ties most
 * abstract codes to one class (0-0:22.0.0.255 is an IEC HDLC setup); electricity quantities are
 * registers, their averages demand registers and their maxima extended registers; profiles are
 * C = 98 (billing periods) and C = 99. Anything else is read as Data.
 */
import type { Obis } from '../obis.js';

/** Abstract objects (A = 0) by `C.D`; E and the channel B number instances of the same class. */
const ABSTRACT_CLASSES: ReadonlyMap<string, number> = new Map([
  ['1.0', 8], // Clock
  ['2.0', 27], // Modem configuration
  ['2.1', 29], // Auto connect
  ['2.2', 28], // Auto answer
  ['10.0', 9], // Script table
  ['11.0', 11], // Special days table
  ['13.0', 20], // Activity calendar
  ['14.0', 6], // Register activation
  ['15.0', 22], // Single action schedule
  ['16.0', 21], // Register monitor
  ['17.0', 71], // Limiter
  ['20.0', 19], // IEC local port setup
  ['21.0', 7], // Local readouts are profiles
  ['22.0', 23], // IEC HDLC setup
  ['23.0', 24], // IEC twisted pair (1) setup
  ['25.0', 41], // TCP-UDP setup
  ['25.1', 42], // IPv4 setup
  ['25.2', 43], // MAC address setup
  ['25.4', 45], // GPRS modem setup
  ['25.6', 47], // GSM diagnostic
  ['25.7', 48], // IPv6 setup
  ['25.9', 40], // Push setup
  ['40.0', 15], // Association LN (a short-name meter lists it as 12)
  ['41.0', 17], // SAP assignment
  ['43.0', 64], // Security setup
  ['44.0', 18], // Image transfer
  ['65.0', 26], // Utility tables
]);

export function likelyClass(o: Obis): number {
  const [a, , c, d, e] = o;
  if (c === 98 || c === 99) return 7;
  if (a === 0) {
    if (c === 96 && d === 3 && e === 10) return 70; // Disconnect control
    return ABSTRACT_CLASSES.get(`${c}.${d}`) ?? 1;
  }
  if (a === 1 && c >= 1 && c <= 99) return d === 6 ? 4 : d === 4 || d === 5 ? 5 : 3;
  return 1;
}
