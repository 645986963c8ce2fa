import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { InputError } from '../../../core/errors.js';
import { PortWatcher, type PortListChange } from '../../../electron/services/links/port-watcher.js';
import { listSerialPorts, type SerialPortInfo, type SerialPortList } from '../../../electron/services/links/serial-ports.js';

const root = mkdtempSync(join(tmpdir(), 'cosem-ports-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const noUdevadm = () => Promise.reject(Object.assign(new Error('spawn udevadm ENOENT'), { code: 'ENOENT' }));

function file(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `${text}\n`);
}

/** A sysfs and /dev as Linux lays them out for an FTDI adapter, a CDC probe and two UART slots. */
function fakeSystem(): { sys: string; dev: string } {
  const sys = join(root, 'sys');
  const dev = join(root, 'dev');
  const usb1 = join(sys, 'devices/pci0000:00/0000:00:14.0/usb1/1-2');
  file(join(usb1, 'idVendor'), '0403');
  file(join(usb1, 'idProduct'), '6001');
  file(join(usb1, 'manufacturer'), 'FTDI');
  file(join(usb1, 'serial'), 'A10K5ABC');
  mkdirSync(join(usb1, '1-2:1.0/ttyUSB0/tty/ttyUSB0'), { recursive: true });
  const usb2 = join(sys, 'devices/pci0000:00/0000:00:14.0/usb1/1-3');
  file(join(usb2, 'idVendor'), '2341');
  file(join(usb2, 'idProduct'), '0043');
  mkdirSync(join(usb2, '1-3:1.0/tty/ttyACM0'), { recursive: true });
  const uart = join(sys, 'devices/platform/serial8250');
  mkdirSync(join(uart, 'tty/ttyS0'), { recursive: true });
  mkdirSync(join(uart, 'tty/ttyS1'), { recursive: true });
  const cls = join(sys, 'class/tty');
  mkdirSync(cls, { recursive: true });
  const entry = (name: string, deviceTarget: string | null, type?: string): void => {
    mkdirSync(join(cls, name));
    if (deviceTarget !== null) symlinkSync(deviceTarget, join(cls, name, 'device'));
    if (type !== undefined) file(join(cls, name, 'type'), type);
  };
  entry('ttyUSB0', join(usb1, '1-2:1.0/ttyUSB0'));
  entry('ttyACM0', join(usb2, '1-3:1.0'));
  entry('ttyS0', uart, '4');
  entry('ttyS1', uart, '0');
  entry('tty0', null);
  entry('ttyUSB9', null);
  entry('console', uart);
  mkdirSync(join(dev, 'serial/by-id'), { recursive: true });
  symlinkSync('../../ttyUSB0', join(dev, 'serial/by-id/usb-FTDI_FT232R_USB_UART_A10K5ABC-if00-port0'));
  return { sys, dev };
}

describe('the serial port list', () => {
  it('never throws on this machine, whether or not udevadm is there', async () => {
    const list = await listSerialPorts();
    expect(Array.isArray(list.ports)).toBe(true);
    expect(['system', 'sysfs', 'none']).toContain(list.source);
    if (list.source !== 'system') expect(list.note).toMatch(/udevadm|list/);
  });

  it('without udevadm reads the ports and their USB identity from /sys', async () => {
    const { sys, dev } = fakeSystem();
    const list = await listSerialPorts({ system: noUdevadm, sysfsRoot: sys, devRoot: dev, platform: 'linux' });
    expect(list.source).toBe('sysfs');
    expect(list.note).toBe('udevadm could not list the ports (spawn udevadm ENOENT); the list was read from /sys');
    expect(list.ports).toEqual([
      { path: join(dev, 'ttyACM0'), manufacturer: null, serialNumber: null, vendorId: '2341', productId: '0043', pnpId: null },
      { path: join(dev, 'ttyS0'), manufacturer: null, serialNumber: null, vendorId: null, productId: null, pnpId: null },
      {
        path: join(dev, 'ttyUSB0'),
        manufacturer: 'FTDI',
        serialNumber: 'A10K5ABC',
        vendorId: '0403',
        productId: '6001',
        pnpId: 'usb-FTDI_FT232R_USB_UART_A10K5ABC-if00-port0',
      },
    ]);
  });

  it('says why the list is empty when /sys cannot be read either', async () => {
    const list = await listSerialPorts({ system: noUdevadm, sysfsRoot: join(root, 'nothing'), platform: 'linux' });
    expect(list.ports).toEqual([]);
    expect(list.source).toBe('none');
    expect(list.note).toMatch(/^Neither udevadm \(spawn udevadm ENOENT\) nor \/sys \(.*ENOENT.*\) could list the serial ports; type the port's name instead$/);
  });

  it('on other systems an empty list with the reason', async () => {
    const list = await listSerialPorts({ system: () => Promise.reject(new Error('SetupAPI failed')), platform: 'win32' });
    expect(list).toEqual({ ports: [], source: 'none', note: "The system could not list the serial ports (SetupAPI failed); type the port's name instead" });
  });

  it('tidies what the system lists: ids in lower case without 0x, blanks as null, in natural order', async () => {
    const list = await listSerialPorts({
      system: async () => [
        { path: 'COM10', manufacturer: 'FTDI', serialNumber: 'A1', vendorId: '0x0403', productId: '6001', pnpId: 'FTDIBUS\\VID_0403' },
        { path: 'COM3', manufacturer: ' ', vendorId: '10C4', productId: 'EA60' },
      ],
    });
    expect(list).toEqual({
      source: 'system',
      note: null,
      ports: [
        { path: 'COM3', manufacturer: null, serialNumber: null, vendorId: '10c4', productId: 'ea60', pnpId: null },
        { path: 'COM10', manufacturer: 'FTDI', serialNumber: 'A1', vendorId: '0403', productId: '6001', pnpId: 'FTDIBUS\\VID_0403' },
      ],
    });
  });
});

const port = (path: string, serialNumber: string | null = null): SerialPortInfo => ({
  path,
  manufacturer: 'FTDI',
  serialNumber,
  vendorId: '0403',
  productId: '6001',
  pnpId: null,
});
const listOf = (...ports: SerialPortInfo[]): SerialPortList => ({ ports, source: 'system', note: null });

describe('watching for probes plugged in and out', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reports what was added and removed, and nothing when nothing changed', async () => {
    const lists = [listOf(), listOf(port('/dev/ttyUSB0', 'A')), listOf(port('/dev/ttyUSB0', 'A')), listOf(port('/dev/ttyUSB0', 'B'), port('/dev/ttyUSB1'))];
    const changes: PortListChange[] = [];
    const watcher = new PortWatcher({ list: async () => lists.shift()!, onChange: (c) => changes.push(c) });
    expect(await watcher.refresh()).toBeNull();
    const plugged = await watcher.refresh();
    expect(plugged?.added).toEqual([port('/dev/ttyUSB0', 'A')]);
    expect(plugged?.removed).toEqual([]);
    expect(await watcher.refresh()).toBeNull();
    // Another probe on the same path is a change too: one out, one in.
    const swapped = await watcher.refresh();
    expect(swapped?.added).toEqual([port('/dev/ttyUSB0', 'B'), port('/dev/ttyUSB1')]);
    expect(swapped?.removed).toEqual([port('/dev/ttyUSB0', 'A')]);
    expect(changes).toHaveLength(2);
    expect(watcher.ports.map((p) => p.path)).toEqual(['/dev/ttyUSB0', '/dev/ttyUSB1']);
  });

  it('lists at once and then once per interval, exactly, until stopped', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date'] });
    const listedAt: number[] = [];
    const t0 = Date.now();
    const watcher = new PortWatcher({
      list: async () => {
        listedAt.push(Date.now() - t0);
        return listOf(port(`/dev/ttyUSB${listedAt.length}`));
      },
      onChange: () => {},
    });
    watcher.start(100);
    // Five intervals: the listing at start and exactly five more, one on each interval.
    await vi.advanceTimersByTimeAsync(500);
    expect(listedAt).toEqual([0, 100, 200, 300, 400, 500]);
    watcher.stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(listedAt).toHaveLength(6);
  });

  it('never starts a listing while the one before is still running', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date'] });
    const t0 = Date.now();
    const listedAt: number[] = [];
    let inside = 0;
    let most = 0;
    const changes: PortListChange[] = [];
    const watcher = new PortWatcher({
      list: async () => {
        listedAt.push(Date.now() - t0);
        inside++;
        most = Math.max(most, inside);
        // Each listing takes 150 ms: one and a half intervals.
        await new Promise((r) => setTimeout(r, 150));
        inside--;
        return listOf(port(`/dev/ttyUSB${listedAt.length}`));
      },
      onChange: (c) => changes.push(c),
    });
    watcher.start(100);
    await vi.advanceTimersByTimeAsync(1000);
    // The interval at 100 finds the first listing running and shares it; 200 starts the next; and so on.
    expect(listedAt).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(most).toBe(1);
    watcher.stop();
    // The listing under way ends; no other starts.
    await vi.advanceTimersByTimeAsync(1000);
    expect(listedAt).toHaveLength(6);
    expect(inside).toBe(0);
    expect(changes).toHaveLength(6);
  });

  it('keeps the last list when a lister fails, and refuses a silly interval', async () => {
    const lists: (() => Promise<SerialPortList>)[] = [async () => listOf(port('/dev/ttyUSB0')), () => Promise.reject(new Error('boom'))];
    const watcher = new PortWatcher({ list: () => lists.shift()!(), onChange: () => {} });
    await watcher.refresh();
    expect(await watcher.refresh()).toBeNull();
    expect(watcher.ports).toEqual([port('/dev/ttyUSB0')]);
    expect(() => watcher.start(5)).toThrow(InputError);
  });
});
