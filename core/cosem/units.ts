/**
 * The DLMS physical unit enumeration (IEC 62056-6-2, "Enumerated values for physical units"),
 * the `unit` half of a register's scaler_unit. Codes 1..72 are the classic table; 128..174 are the
 * imperial/US units of later Blue Book editions; 253..255 close the range.
 * Cross-checked against the Blue Book excerpt and the Gurux and dlms_units enumerations.
 */

export interface DlmsUnit {
  readonly code: number;
  /** What to print after a value; empty for "count / no unit". */
  readonly symbol: string;
  /** The physical quantity, in the Blue Book's words. */
  readonly quantity: string;
}

const TABLE: readonly (readonly [number, string, string])[] = [
  [1, 'a', 'time (year)'],
  [2, 'mo', 'time (month)'],
  [3, 'wk', 'time (week)'],
  [4, 'd', 'time (day)'],
  [5, 'h', 'time (hour)'],
  [6, 'min', 'time (minute)'],
  [7, 's', 'time (second)'],
  [8, '°', '(phase) angle'],
  [9, '°C', 'temperature'],
  [10, 'currency', '(local) currency'],
  [11, 'm', 'length'],
  [12, 'm/s', 'speed'],
  [13, 'm³', 'volume'],
  [14, 'm³', 'corrected volume'],
  [15, 'm³/h', 'volume flux'],
  [16, 'm³/h', 'corrected volume flux'],
  [17, 'm³/d', 'volume flux'],
  [18, 'm³/d', 'corrected volume flux'],
  [19, 'l', 'volume'],
  [20, 'kg', 'mass'],
  [21, 'N', 'force'],
  [22, 'Nm', 'energy'],
  [23, 'Pa', 'pressure'],
  [24, 'bar', 'pressure'],
  [25, 'J', 'energy'],
  [26, 'J/h', 'thermal power'],
  [27, 'W', 'active power'],
  [28, 'VA', 'apparent power'],
  [29, 'var', 'reactive power'],
  [30, 'Wh', 'active energy'],
  [31, 'VAh', 'apparent energy'],
  [32, 'varh', 'reactive energy'],
  [33, 'A', 'current'],
  [34, 'C', 'electrical charge'],
  [35, 'V', 'voltage'],
  [36, 'V/m', 'electric field strength'],
  [37, 'F', 'capacitance'],
  [38, 'Ω', 'resistance'],
  [39, 'Ωm²/m', 'resistivity'],
  [40, 'Wb', 'magnetic flux'],
  [41, 'T', 'magnetic flux density'],
  [42, 'A/m', 'magnetic field strength'],
  [43, 'H', 'inductance'],
  [44, 'Hz', 'frequency'],
  [45, '1/(Wh)', 'active energy meter constant or pulse value'],
  [46, '1/(varh)', 'reactive energy meter constant or pulse value'],
  [47, '1/(VAh)', 'apparent energy meter constant or pulse value'],
  [48, 'V²h', 'volt-squared hours'],
  [49, 'A²h', 'ampere-squared hours'],
  [50, 'kg/s', 'mass flux'],
  [51, 'S', 'conductance'],
  [52, 'K', 'temperature'],
  [53, '1/(V²h)', 'volt-squared hour meter constant or pulse value'],
  [54, '1/(A²h)', 'ampere-squared hour meter constant or pulse value'],
  [55, '1/m³', 'volume meter constant or pulse value'],
  [56, '%', 'percentage'],
  [57, 'Ah', 'ampere-hours'],
  [60, 'Wh/m³', 'energy per volume'],
  [61, 'J/m³', 'calorific value, wobbe'],
  [62, 'Mol %', 'molar fraction of gas composition'],
  [63, 'g/m³', 'mass density, quantity of material'],
  [64, 'Pa s', 'dynamic viscosity'],
  [65, 'J/kg', 'specific energy'],
  [66, 'g/cm²', 'pressure'],
  [67, 'atm', 'pressure'],
  [70, 'dBm', 'signal strength (dB milliwatt)'],
  [71, 'dBµV', 'signal strength (dB microvolt)'],
  [72, 'dB', 'logarithmic ratio'],
  [128, 'in', 'length (inch)'],
  [129, 'ft', 'length (foot)'],
  [130, 'lb', 'mass (pound)'],
  [131, '°F', 'temperature (Fahrenheit)'],
  [132, '°R', 'temperature (Rankine)'],
  [133, 'sq in', 'area (square inch)'],
  [134, 'sq ft', 'area (square foot)'],
  [135, 'ac', 'area (acre)'],
  [136, 'cu in', 'volume (cubic inch)'],
  [137, 'cu ft', 'volume (cubic foot)'],
  [138, 'ac-ft', 'volume (acre-foot)'],
  [139, 'gal (imp)', 'volume (imperial gallon)'],
  [140, 'gal (US)', 'volume (US gallon)'],
  [141, 'lbf', 'force (pound force)'],
  [142, 'psi', 'pressure (pound force per square inch)'],
  [143, 'lb/cu ft', 'density (pound per cubic foot)'],
  [144, 'lb/(ft s)', 'dynamic viscosity (pound per foot second)'],
  [145, 'sq ft/s', 'kinematic viscosity (square foot per second)'],
  [146, 'Btu', 'energy (British thermal unit)'],
  [147, 'thm (EU)', 'energy (therm EU)'],
  [148, 'thm (US)', 'energy (therm US)'],
  [149, 'Btu/lb', 'specific energy (Btu per pound)'],
  [150, 'Btu/cu ft', 'calorific value (Btu per cubic foot)'],
  [151, 'cu ft', 'volume (cubic feet)'],
  [152, 'ft/s', 'speed (foot per second)'],
  [153, 'cu ft/s', 'volume flux (cubic foot per second)'],
  [154, 'cu ft/min', 'volume flux (cubic foot per minute)'],
  [155, 'cu ft/h', 'volume flux (cubic foot per hour)'],
  [156, 'cu ft/d', 'volume flux (cubic foot per day)'],
  [157, 'ac-ft/s', 'volume flux (acre-foot per second)'],
  [158, 'ac-ft/min', 'volume flux (acre-foot per minute)'],
  [159, 'ac-ft/h', 'volume flux (acre-foot per hour)'],
  [160, 'ac-ft/d', 'volume flux (acre-foot per day)'],
  [161, 'imp gal', 'volume (imperial gallon)'],
  [162, 'imp gal/s', 'volume flux (imperial gallon per second)'],
  [163, 'imp gal/min', 'volume flux (imperial gallon per minute)'],
  [164, 'imp gal/h', 'volume flux (imperial gallon per hour)'],
  [165, 'imp gal/d', 'volume flux (imperial gallon per day)'],
  [166, 'US gal', 'volume (US gallon)'],
  [167, 'US gal/s', 'volume flux (US gallon per second)'],
  [168, 'US gal/min', 'volume flux (US gallon per minute)'],
  [169, 'US gal/h', 'volume flux (US gallon per hour)'],
  [170, 'US gal/d', 'volume flux (US gallon per day)'],
  [171, 'Btu/s', 'power (Btu per second)'],
  [172, 'Btu/min', 'power (Btu per minute)'],
  [173, 'Btu/h', 'power (Btu per hour)'],
  [174, 'Btu/d', 'power (Btu per day)'],
  [253, '(reserved)', 'reserved'],
  [254, 'other unit', 'other unit'],
  [255, '', 'count / no unit'],
];

export const DLMS_UNITS: readonly DlmsUnit[] = Object.freeze(TABLE.map(([code, symbol, quantity]) => Object.freeze({ code, symbol, quantity })));

const SYMBOLS: (string | undefined)[] = new Array(256);
const BY_CODE = new Map<number, DlmsUnit>();
for (const u of DLMS_UNITS) {
  SYMBOLS[u.code] = u.symbol;
  BY_CODE.set(u.code, u);
}

/** The unit's entry, or undefined for a code the table does not hold. */
export function unitInfo(code: number): DlmsUnit | undefined {
  return BY_CODE.get(code);
}

/** The symbol to print after a value; `unit <n>` for a code the table does not hold. */
export function unitSymbol(code: number): string {
  return SYMBOLS[code] ?? `unit ${code}`;
}
