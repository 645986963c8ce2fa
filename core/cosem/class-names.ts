/**
 * The name of every interface class of the Blue Book (DLMS UA 1000-1, IEC 62056-6-2), so an object
 * of any class is named wherever it appears (the object list, Browse objects, the trace), also when
 * the app has no attribute table for it (core/cosem/classes.ts holds those) and shows raw values.
 *
 * Class ids 0 to 8191 are the DLMS UA's, 8192 to 32767 are for manufacturer-specific classes and
 * 32768 to 65535 for user group-specific classes. An id listed nowhere gets a name that says so.
 * Ids whose class this table is not sure of are left out rather than guessed.
 */

export interface BlueBookClass {
  readonly classId: number;
  /** The Blue Book's name, e.g. 'PPP setup'. */
  readonly name: string;
}

const NAMES: readonly (readonly [number, string])[] = [
  // Basic and metering
  [1, 'Data'],
  [3, 'Register'],
  [4, 'Extended register'],
  [5, 'Demand register'],
  [6, 'Register activation'],
  [7, 'Profile generic'],
  [8, 'Clock'],
  [9, 'Script table'],
  [10, 'Schedule'],
  [11, 'Special days table'],
  [12, 'Association SN'],
  [15, 'Association LN'],
  [17, 'SAP assignment'],
  [18, 'Image transfer'],
  [20, 'Activity calendar'],
  [21, 'Register monitor'],
  [22, 'Single action schedule'],
  [26, 'Utility tables'],
  [30, 'Data protection'],
  [61, 'Register table'],
  [62, 'Compact data'],
  [63, 'Status mapping'],
  [64, 'Security setup'],
  [65, 'Parameter monitor'],
  [67, 'Sensor manager'],
  [68, 'Arbitrator'],
  [70, 'Disconnect control'],
  [71, 'Limiter'],
  // Payment metering
  [111, 'Account'],
  [112, 'Credit'],
  [113, 'Charge'],
  [115, 'Token gateway'],
  [116, 'IEC 62055-41 attributes'],
  [122, 'Function control'],
  [123, 'Array manager'],
  [124, 'Communication port protection'],
  // Local ports, modems, M-Bus
  [19, 'IEC local port setup'],
  [23, 'IEC HDLC setup'],
  [24, 'IEC twisted pair (1) setup'],
  [25, 'M-Bus port setup'],
  [27, 'Modem configuration'],
  [28, 'Auto answer'],
  [29, 'Auto connect'],
  [72, 'M-Bus client'],
  [73, 'Wireless Mode Q channel'],
  [74, 'M-Bus master port setup'],
  [76, 'DLMS/COSEM server M-Bus port setup'],
  [77, 'M-Bus diagnostic'],
  // Internet and wide area networks
  [40, 'Push setup'],
  [41, 'TCP-UDP setup'],
  [42, 'IPv4 setup'],
  [43, 'MAC address setup'],
  [44, 'PPP setup'],
  [45, 'GPRS modem setup'],
  [46, 'SMTP setup'],
  [47, 'GSM diagnostic'],
  [48, 'IPv6 setup'],
  [100, 'NTP setup'],
  [151, 'LTE monitoring'],
  [152, 'CoAP setup'],
  [153, 'CoAP diagnostic'],
  // S-FSK PLC (IEC 61334)
  [50, 'S-FSK Phy&MAC setup'],
  [51, 'S-FSK Active initiator'],
  [52, 'S-FSK MAC synchronization timeouts'],
  [53, 'S-FSK MAC counters'],
  [55, 'IEC 61334-4-32 LLC setup'],
  [56, 'S-FSK Reporting system list'],
  // LLC
  [57, 'ISO/IEC 8802-2 LLC Type 1 setup'],
  [58, 'ISO/IEC 8802-2 LLC Type 2 setup'],
  [59, 'ISO/IEC 8802-2 LLC Type 3 setup'],
  // PRIME NB OFDM PLC
  [80, '61334-4-32 LLC SSCS setup'],
  [81, 'PRIME NB OFDM PLC Physical layer counters'],
  [82, 'PRIME NB OFDM PLC MAC setup'],
  [83, 'PRIME NB OFDM PLC MAC functional parameters'],
  [84, 'PRIME NB OFDM PLC MAC counters'],
  [85, 'PRIME NB OFDM PLC MAC network administration data'],
  [86, 'PRIME NB OFDM PLC Application identification'],
  // G3-PLC
  [90, 'G3-PLC MAC layer counters'],
  [91, 'G3-PLC MAC setup'],
  [92, 'G3-PLC 6LoWPAN adaptation layer setup'],
  // ZigBee
  [101, 'ZigBee SAS startup'],
  [102, 'ZigBee SAS join'],
  [103, 'ZigBee SAS APS fragmentation'],
  [104, 'ZigBee network control'],
  [105, 'ZigBee tunnel setup'],
  // LPWAN
  [126, 'SCHC-LPWAN setup'],
  [127, 'SCHC-LPWAN diagnostic'],
  [128, 'LoRaWAN setup'],
  [129, 'LoRaWAN diagnostic'],
  // ISO/IEC 14908 (LonWorks)
  [130, 'ISO/IEC 14908 identification'],
  [131, 'ISO/IEC 14908 protocol setup'],
  [132, 'ISO/IEC 14908 protocol status'],
  [133, 'ISO/IEC 14908 diagnostic'],
];

/** Every class of the Blue Book this table names, in class id order. */
export const BLUE_BOOK_CLASSES: readonly BlueBookClass[] = Object.freeze(
  [...NAMES].sort((a, b) => a[0] - b[0]).map(([classId, name]) => Object.freeze({ classId, name })),
);

const BY_ID: ReadonlyMap<number, string> = new Map(NAMES);

export const MANUFACTURER_CLASS_MIN = 8192;
export const MANUFACTURER_CLASS_MAX = 32767;
export const USER_GROUP_CLASS_MAX = 65535;

/** The Blue Book name of a class, or undefined when the Blue Book has no class of this id. */
export function blueBookClassName(classId: number): string | undefined {
  return BY_ID.get(classId);
}

/**
 * The name to show for a class id: the Blue Book's ('PPP setup'), else what the id's range says
 * ('Manufacturer-specific class 8193', 'User group-specific class 40000'), else
 * 'Class 99 (not in the Blue Book)'.
 */
export function className(classId: number): string {
  const known = BY_ID.get(classId);
  if (known !== undefined) return known;
  if (Number.isInteger(classId) && classId >= MANUFACTURER_CLASS_MIN && classId <= MANUFACTURER_CLASS_MAX) {
    return `Manufacturer-specific class ${classId}`;
  }
  if (Number.isInteger(classId) && classId > MANUFACTURER_CLASS_MAX && classId <= USER_GROUP_CLASS_MAX) {
    return `User group-specific class ${classId}`;
  }
  return `Class ${classId} (not in the Blue Book)`;
}
