/**
 * Firmware and security: image transfer (idle: no upgrade in progress), the security setup with the
 * meter's system title, the frame counter, a utility table and a compact data snapshot.
 */
import { ByteWriter } from '../bytes.js';
import type { SecurityPolicy } from '../security/suite0.js';
import { ActiveExport, ActiveImport } from './energy-model.js';
import type { MeterState } from './meter-state.js';
import { defineObject, lockedMethod, readOnly, type CosemObject } from './object-model.js';
import { array, bits, bool, captureObject, enm, octets, u32, u8 } from './values.js';

const IMAGE_TRANSFER_NOT_INITIATED = 0;

/**
 * security_policy of Security setup version 1: bit 2 authenticated requests, 3 encrypted requests,
 * 4 authenticated responses, 5 encrypted responses.
 */
const SECURITY_POLICY_BITS: Readonly<Record<SecurityPolicy, number>> = {
  none: 0,
  authentication: 0x14,
  encryption: 0x28,
  'authenticated-encryption': 0x3c,
};

export function firmwareSecurityObjects(state: MeterState): CosemObject[] {
  const c = state.config;
  const systemTitle = c.security.systemTitle;

  // A small C12.19-style configuration table: id, manufacturer, model, serial.
  const table = new Uint8Array(24);
  for (let i = 0; i < 3; i++) table[i] = c.manufacturerFlag.charCodeAt(i);
  for (let i = 0; i < 8; i++) table[4 + i] = 'VM-3P-D1'.charCodeAt(i);
  const sn = String(c.serialNumber).padStart(12, '0');
  for (let i = 0; i < 12; i++) table[12 + i] = sn.charCodeAt(i);

  // Compact data: +A and -A as plain double-long-unsigned without tags, captured on reading.
  const compactBuffer = (now: number): Uint8Array => {
    const w = new ByteWriter(8);
    w.u32(Math.floor(state.energy.energyAt(ActiveImport, now)) % 4294967296);
    w.u32(Math.floor(state.energy.energyAt(ActiveExport, now)) % 4294967296);
    return w.finish();
  };

  return [
    defineObject({
      classId: 18,
      version: 0,
      obis: '0-0:44.0.0.255',
      description: 'Image transfer (firmware upgrade)',
      attributes: [
        readOnly(2, 'image_block_size', () => u32(192)),
        readOnly(3, 'image_transferred_blocks_status', () => bits('')),
        readOnly(4, 'image_first_not_transferred_block_number', () => u32(0)),
        readOnly(5, 'image_transfer_enabled', () => bool(true)),
        readOnly(6, 'image_transfer_status', () => enm(IMAGE_TRANSFER_NOT_INITIATED)),
        readOnly(7, 'image_to_activate_info', () => array([])),
      ],
      methods: [
        lockedMethod(1, 'image_transfer_initiate'),
        lockedMethod(2, 'image_block_transfer'),
        lockedMethod(3, 'image_verify'),
        lockedMethod(4, 'image_activate'),
      ],
    }),
    defineObject({
      classId: 64,
      version: 1,
      obis: '0-0:43.0.0.255',
      description: 'Security setup (management association)',
      attributes: [
        readOnly(2, 'security_policy', (ctx) => enm(SECURITY_POLICY_BITS[ctx.association.policy])),
        readOnly(3, 'security_suite', () => enm(0)),
        readOnly(4, 'client_system_title', (ctx) => octets(ctx.association.clientSystemTitle ?? new Uint8Array(0))),
        readOnly(5, 'server_system_title', () => octets(systemTitle)),
        readOnly(6, 'certificates', () => array([])),
      ],
      methods: [
        lockedMethod(1, 'security_activate'),
        lockedMethod(2, 'key_transfer'),
        lockedMethod(3, 'key_agreement'),
        lockedMethod(4, 'generate_key_pair'),
        lockedMethod(5, 'generate_certificate_request'),
        lockedMethod(6, 'import_certificate'),
        lockedMethod(7, 'export_certificate'),
        lockedMethod(8, 'remove_certificate'),
      ],
    }),
    defineObject({
      classId: 1,
      version: 0,
      obis: '0-0:43.1.0.255',
      description: 'Invocation counter: the smallest one the meter accepts from a client next',
      // As real meters publish it, so a client can start above every IC the meter has seen.
      attributes: [readOnly(2, 'value', () => u32(Math.min(state.expectedClientInvocationCounter, 0xffffffff)))],
    }),
    defineObject({
      classId: 26,
      version: 0,
      obis: '0-0:65.0.0.255',
      description: 'Utility table 0 (general manufacturer information)',
      attributes: [
        readOnly(2, 'table_ID', () => ({ type: 'long-unsigned', value: 1 })),
        readOnly(3, 'length', () => u32(table.length)),
        readOnly(4, 'buffer', () => octets(table)),
      ],
    }),
    defineObject({
      classId: 62,
      version: 1,
      obis: '0-0:66.0.1.255',
      description: 'Compact data (energy snapshot)',
      attributes: [
        readOnly(2, 'compact_buffer', (ctx) => octets(compactBuffer(ctx.now))),
        readOnly(3, 'capture_objects', () => array([captureObject(3, '1-0:1.8.0.255', 2), captureObject(3, '1-0:2.8.0.255', 2)])),
        readOnly(4, 'template_id', () => u8(1)),
        // The type description of the buffer: structure of two double-long-unsigned.
        readOnly(5, 'template_description', () => octets(Uint8Array.of(0x02, 0x02, 0x06, 0x06))),
        readOnly(6, 'capture_method', () => enm(1)),
      ],
      methods: [lockedMethod(1, 'reset'), lockedMethod(2, 'capture')],
    }),
  ];
}
