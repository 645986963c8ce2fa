import { describe, expect, it } from 'vitest';
import { InputError, TransportError } from '../../../core/errors.js';
import { describeLine, driverLine, lineSettings } from '../../../electron/services/links/serial-settings.js';

describe('serial line settings', () => {
  it('defaults to the spec: 9600 8N1 without flow control', () => {
    expect(lineSettings()).toEqual({ baudRate: 9600, dataBits: 8, stopBits: 1, parity: 'none', flowControl: 'none' });
    expect(describeLine(lineSettings())).toBe('9600 8N1');
    expect(describeLine(lineSettings({ baudRate: 2400, dataBits: 7, parity: 'even' }))).toBe('2400 7E1');
    expect(describeLine(lineSettings({ baudRate: 115200, stopBits: 2, flowControl: 'rts-cts' }))).toBe('115200 8N2 RTS/CTS');
    expect(describeLine(lineSettings({ parity: 'mark', flowControl: 'xon-xoff' }))).toBe('9600 8M1 XON/XOFF');
  });

  it("accepts each of the spec's values and refuses others, naming the field and the allowed values", () => {
    for (const baudRate of [300, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200]) expect(lineSettings({ baudRate }).baudRate).toBe(baudRate);
    expect(() => lineSettings({ baudRate: 600 })).toThrow(InputError);
    expect(() => lineSettings({ baudRate: 14400 })).toThrow(
      'Baud rate: 14400 is not valid: one of 300, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200 is allowed',
    );
    expect(() => lineSettings({ dataBits: 9 as 8 })).toThrow('Data bits: 9 is not valid: one of 5, 6, 7, 8 is allowed');
    expect(() => lineSettings({ stopBits: 1.5 as 1 })).toThrow('Stop bits: 1.5 is not valid: one of 1, 2 is allowed');
    expect(() => lineSettings({ parity: 'E' as 'even' })).toThrow('Parity: "E" is not valid: one of none, even, odd, mark, space is allowed');
    expect(() => lineSettings({ flowControl: 'dtr' as 'none' })).toThrow('Flow control: "dtr" is not valid: one of none, rts-cts, xon-xoff is allowed');
  });

  it('maps flow control to serialport options', () => {
    expect(driverLine(lineSettings({ flowControl: 'rts-cts' }), 'linux').open).toMatchObject({ rtscts: true, xon: false, xoff: false });
    expect(driverLine(lineSettings({ flowControl: 'xon-xoff' }), 'linux').open).toMatchObject({ rtscts: false, xon: true, xoff: true });
    expect(driverLine(lineSettings({ parity: 'odd', dataBits: 7, stopBits: 2 }), 'linux')).toEqual({
      open: { baudRate: 9600, dataBits: 7, stopBits: 2, parity: 'odd', rtscts: false, xon: false, xoff: false },
      shape: null,
    });
  });

  it('leaves mark and space parity to the driver on Windows', () => {
    expect(driverLine(lineSettings({ parity: 'space' }), 'win32')).toMatchObject({ open: { parity: 'space', dataBits: 8 }, shape: null });
  });

  it('makes mark and space parity elsewhere from one more data bit, set or cleared', () => {
    expect(driverLine(lineSettings({ dataBits: 7, parity: 'mark' }), 'linux')).toEqual({
      open: { baudRate: 9600, dataBits: 8, stopBits: 1, parity: 'none', rtscts: false, xon: false, xoff: false },
      shape: { sendOr: 0x80, sendAnd: 0x7f, receiveAnd: 0x7f },
    });
    expect(driverLine(lineSettings({ dataBits: 7, parity: 'space' }), 'darwin').shape).toEqual({ sendOr: 0, sendAnd: 0x7f, receiveAnd: 0x7f });
    expect(driverLine(lineSettings({ dataBits: 5, parity: 'mark' }), 'linux')).toMatchObject({ open: { dataBits: 6 }, shape: { sendOr: 0x20, sendAnd: 0x1f } });
    expect(driverLine(lineSettings({ dataBits: 8, parity: 'mark' }), 'linux')).toMatchObject({
      open: { dataBits: 8, stopBits: 2, parity: 'none' },
      shape: null,
    });
  });

  it('refuses 8 data bits with space parity where the driver cannot make it, saying what works', () => {
    expect(() => driverLine(lineSettings({ parity: 'space' }), 'linux')).toThrow(TransportError);
    expect(() => driverLine(lineSettings({ parity: 'space' }), 'linux')).toThrow(
      '9600 8S1: the serial driver on Linux cannot send 8 data bits with space parity; use 7 data bits with space parity, or Windows',
    );
  });
});
