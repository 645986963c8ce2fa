/**
 * The serial ports of this computer, with what identifies a USB probe or adapter (manufacturer,
 * serial number, USB vendor and product id). serialport asks the system; on Linux it runs udevadm,
 * which minimal systems and containers lack, and then the same facts are read from /sys instead.
 * Listing never throws: when nothing works the list is empty and says why.
 */
import { readdirSync, readFileSync, readlinkSync, realpathSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SerialPort } from 'serialport';
import type { SerialPortView } from '../../../core/app/api/types.js';

/** A serial port as the contract shows it. */
export type SerialPortInfo = SerialPortView;

export interface SerialPortList {
  readonly ports: readonly SerialPortInfo[];
  /** Where the list came from: the system's own listing, or /sys when that failed. */
  readonly source: 'system' | 'sysfs' | 'none';
  /** Why the system's listing was not used, for a person; null when it was. */
  readonly note: string | null;
}

/** The system's listing, as serialport gives it. */
export type SystemPortLister = () => Promise<
  ReadonlyArray<{
    path: string;
    manufacturer?: string | undefined;
    serialNumber?: string | undefined;
    vendorId?: string | undefined;
    productId?: string | undefined;
    pnpId?: string | undefined;
  }>
>;

export interface ListOptions {
  readonly system?: SystemPortLister;
  /** Root of the sysfs tree (tests give a made-up one); default /sys. */
  readonly sysfsRoot?: string;
  /** Root of the device tree; default /dev. */
  readonly devRoot?: string;
  readonly platform?: NodeJS.Platform;
}

/** The kernel names serialport lists too: UARTs, USB serial, ACM modems, Raspberry Pi, Bluetooth. */
const SERIAL_NAME = /^(tty(S|WCH|ACM|USB|AMA|MFD|O|XRUSB)\d+|rfcomm\d+)$/;

export async function listSerialPorts(options: ListOptions = {}): Promise<SerialPortList> {
  const system = options.system ?? (() => SerialPort.list());
  let reason: string;
  try {
    const found = await system();
    return { ports: sortPorts(found.map(fromSystem)), source: 'system', note: null };
  } catch (err) {
    reason = err instanceof Error ? err.message : String(err);
  }
  const platform = options.platform ?? process.platform;
  if (platform !== 'linux') {
    return { ports: [], source: 'none', note: `The system could not list the serial ports (${reason}); type the port's name instead` };
  }
  try {
    const ports = scanSysfs(options.sysfsRoot ?? '/sys', options.devRoot ?? '/dev');
    return { ports, source: 'sysfs', note: `udevadm could not list the ports (${reason}); the list was read from /sys` };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { ports: [], source: 'none', note: `Neither udevadm (${reason}) nor /sys (${why}) could list the serial ports; type the port's name instead` };
  }
}

function fromSystem(p: Awaited<ReturnType<SystemPortLister>>[number]): SerialPortInfo {
  const clean = (v: string | undefined): string | null => (v === undefined || v.trim() === '' ? null : v.trim());
  const hex = (v: string | undefined): string | null => clean(v)?.toLowerCase().replace(/^0x/, '') ?? null;
  return {
    path: p.path,
    manufacturer: clean(p.manufacturer),
    serialNumber: clean(p.serialNumber),
    vendorId: hex(p.vendorId),
    productId: hex(p.productId),
    pnpId: clean(p.pnpId),
  };
}

/**
 * /sys/class/tty/NAME/device points at the port's device; for a USB adapter one of its parents is
 * the USB device, the directory holding idVendor, idProduct, manufacturer and serial.
 */
export function scanSysfs(sysfsRoot: string, devRoot: string): SerialPortInfo[] {
  const classDir = join(sysfsRoot, 'class', 'tty');
  const byId = serialLinks(join(devRoot, 'serial', 'by-id'));
  const ports: SerialPortInfo[] = [];
  for (const name of readdirSync(classDir)) {
    if (!SERIAL_NAME.test(name)) continue;
    const deviceLink = join(classDir, name, 'device');
    if (!existsSync(deviceLink)) continue;
    // A legacy UART slot with no chip behind it reports type 0 (PORT_UNKNOWN).
    if (name.startsWith('ttyS') && readText(join(classDir, name, 'type')) === '0') continue;
    const usb = usbDevice(realpathSync(deviceLink), sysfsRoot);
    ports.push({
      path: join(devRoot, name),
      manufacturer: usb ? readText(join(usb, 'manufacturer')) : null,
      serialNumber: usb ? readText(join(usb, 'serial')) : null,
      vendorId: usb ? (readText(join(usb, 'idVendor'))?.toLowerCase() ?? null) : null,
      productId: usb ? (readText(join(usb, 'idProduct'))?.toLowerCase() ?? null) : null,
      pnpId: byId.get(name) ?? null,
    });
  }
  return sortPorts(ports);
}

function usbDevice(dir: string, stopAt: string): string | null {
  let at = dir;
  for (let depth = 0; depth < 8 && at.length > stopAt.length; depth++) {
    if (existsSync(join(at, 'idVendor'))) return at;
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  return null;
}

/** ttyUSB0 -> usb-FTDI_FT232R_USB_UART_A10K5ABC-if00-port0, from the /dev/serial/by-id links. */
function serialLinks(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const link of names) {
    try {
      out.set(basename(readlinkSync(join(dir, link))), link);
    } catch {
      // Not a link: not one of udev's.
    }
  }
  return out;
}

function readText(file: string): string | null {
  try {
    const text = readFileSync(file, 'utf8').trim();
    return text === '' ? null : text;
  } catch {
    return null;
  }
}

function sortPorts(ports: SerialPortInfo[]): SerialPortInfo[] {
  return ports.sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
}
