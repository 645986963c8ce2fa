/**
 * Communication setup objects: the HDLC and optical ports this meter really speaks through, and
 * the TCP/IP, cellular and push configuration a meter with a modem carries. Port values that
 * describe the running link are read-only and match what the link layer actually negotiates;
 * the rest are settings the management client may change.
 */
import { toDlmsDateTime } from './calendar.js';
import type { MeterState } from './meter-state.js';
import { MANAGEMENT_READ_WRITE, defineObject, lockedMethod, readOnly, setting, type CosemObject } from './object-model.js';
import { unitHash } from './prng.js';
import { array, bool, captureObject, dateTime, enm, i8, lnValue, octets, struct, text, u16, u32, u8, visible } from './values.js';

/** comm_speed enum: 0 = 300 baud ... 5 = 9600 ... 9 = 115200. */
const BAUD_9600 = 5;
const BAUD_300 = 0;

function ipv4(a: number, b: number, c: number, d: number): number {
  return ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
}

/** Any-day window boundaries ("every day from hh:mm"). */
function dailyTime(hour: number, minute: number): ReturnType<typeof octets> {
  return octets(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, hour, minute, 0, 0, 0x80, 0x00, 0xff));
}

export function communicationObjects(state: MeterState): CosemObject[] {
  const c = state.config;
  type Initial = Parameters<typeof setting>[4];
  // Settings the public client may read and the management client may change ...
  const configurable = (o: string, id: number, name: string, initial: Initial) => setting(state, o, id, name, initial);
  // ... and those only the management client may see (numbers to call, PINs, passwords).
  const restricted = (o: string, id: number, name: string, initial: Initial, access = MANAGEMENT_READ_WRITE) =>
    setting(state, o, id, name, initial, { access });
  const serial = String(c.serialNumber);
  const mac = Uint8Array.of(0x02, 0x43, 0x53, (c.serialNumber >>> 16) & 0xff, (c.serialNumber >>> 8) & 0xff, c.serialNumber & 0xff);
  const ipv6 = (last: number): Uint8Array => Uint8Array.of(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (last >> 8) & 0xff, last & 0xff);

  const hdlc = '0-0:22.0.0.255';
  const local = '0-0:20.0.0.255';
  const twisted = '0-0:23.0.0.255';
  const modem = '0-0:2.0.0.255';
  const answer = '0-0:2.2.0.255';
  const connect = '0-0:2.1.0.255';
  const push = '0-0:25.9.0.255';
  const tcp = '0-0:25.0.0.255';
  const ip4 = '0-0:25.1.0.255';
  const macObis = '0-0:25.2.0.255';
  const gprs = '0-0:25.4.0.255';
  const gsm = '0-0:25.6.0.255';
  const ip6 = '0-0:25.7.0.255';

  const qos = struct(u8(0), u8(0), u8(0), u8(0), u8(0));

  return [
    defineObject({
      classId: 23,
      version: 1,
      obis: hdlc,
      description: 'IEC HDLC setup (the port this meter answers on)',
      attributes: [
        // Written at commissioning; the speed applies from the next sign-on, so this link is not moved.
        setting(state, hdlc, 2, 'comm_speed', enm(BAUD_9600), { validate: (v) => v.type === 'enum' && v.value <= 9 }),
        readOnly(3, 'window_size_transmit', () => u8(c.hdlc.windowTx)),
        readOnly(4, 'window_size_receive', () => u8(c.hdlc.windowRx)),
        readOnly(5, 'max_info_field_length_transmit', () => u16(c.hdlc.maxInfoTx)),
        readOnly(6, 'max_info_field_length_receive', () => u16(c.hdlc.maxInfoRx)),
        readOnly(7, 'inter_octet_time_out', () => u16(c.hdlc.interOctetTimeout)),
        readOnly(8, 'inactivity_time_out', () => u16(c.hdlc.inactivityTimeout)),
        readOnly(9, 'device_address', () => u16(c.hdlc.physicalAddress)),
      ],
    }),
    defineObject({
      classId: 19,
      version: 1,
      obis: local,
      description: 'IEC optical port setup',
      attributes: [
        configurable(local, 2, 'default_mode', enm(0)),
        configurable(local, 3, 'default_baud', enm(BAUD_300)),
        configurable(local, 4, 'prop_baud', enm(BAUD_9600)),
        configurable(local, 5, 'response_time', enm(1)),
        configurable(local, 6, 'device_addr', text(serial)),
        restricted(local, 7, 'pass_p1', text(c.password), { public: 'none', management: 'write' }),
        restricted(local, 8, 'pass_p2', text(''), { public: 'none', management: 'write' }),
        restricted(local, 9, 'pass_w5', text(''), { public: 'none', management: 'write' }),
      ],
    }),
    defineObject({
      classId: 24,
      version: 1,
      obis: twisted,
      description: 'IEC twisted pair setup (Euridis bus, inactive)',
      attributes: [
        configurable(twisted, 2, 'mode', enm(0)),
        configurable(twisted, 3, 'comm_speed', enm(2)),
        configurable(twisted, 4, 'primary_address_list', array([u8(c.hdlc.physicalAddress & 0xff)])),
        configurable(twisted, 5, 'tabi_list', array([i8(0)])),
      ],
    }),
    defineObject({
      classId: 27,
      version: 1,
      obis: modem,
      description: 'Modem configuration',
      attributes: [
        configurable(modem, 2, 'comm_speed', enm(9)),
        configurable(modem, 3, 'initialization_string', array([struct(text('AT'), text('OK'), u16(100)), struct(text('ATE0'), text('OK'), u16(100))])),
        configurable(modem, 4, 'modem_profile', array([text('OK'), text('CONNECT'), text('RING'), text('NO CARRIER'), text('ERROR')])),
      ],
    }),
    defineObject({
      classId: 28,
      version: 2,
      obis: answer,
      description: 'Auto answer',
      attributes: [
        configurable(answer, 2, 'mode', enm(0)),
        configurable(answer, 3, 'listening_window', array([struct(dailyTime(6, 0), dailyTime(22, 0))])),
        readOnly(4, 'status', () => enm(1)),
        configurable(answer, 5, 'number_of_calls', u8(0)),
        configurable(answer, 6, 'number_of_rings', struct(u8(2), u8(5))),
        restricted(answer, 7, 'list_of_allowed_callers', array([struct(text('+491701234567'), enm(0))])),
      ],
    }),
    defineObject({
      classId: 29,
      version: 2,
      obis: connect,
      description: 'Auto connect',
      attributes: [
        configurable(connect, 2, 'mode', enm(0)),
        configurable(connect, 3, 'repetitions', u8(3)),
        configurable(connect, 4, 'repetition_delay', u16(60)),
        configurable(connect, 5, 'calling_window', array([struct(dailyTime(0, 0), dailyTime(23, 59))])),
        restricted(connect, 6, 'destination_list', array([text('203.0.113.10:4059')])),
      ],
      methods: [lockedMethod(1, 'connect')],
    }),
    defineObject({
      classId: 40,
      version: 0,
      obis: push,
      description: 'Push setup (on installation)',
      attributes: [
        configurable(
          push,
          2,
          'push_object_list',
          array([
            captureObject(40, push, 1),
            captureObject(1, '0-0:96.1.0.255', 2),
            captureObject(8, '0-0:1.0.0.255', 2),
            captureObject(3, '1-0:1.8.0.255', 2),
          ]),
        ),
        restricted(push, 3, 'send_destination_and_method', struct(enm(0), text('203.0.113.10:4059'), enm(0))),
        configurable(push, 4, 'communication_window', array([struct(dailyTime(0, 0), dailyTime(23, 59))])),
        configurable(push, 5, 'randomisation_start_interval', u16(30)),
        configurable(push, 6, 'number_of_retries', u8(3)),
        configurable(push, 7, 'repetition_delay', u16(120)),
      ],
      // Pushing needs a connection the meter opens itself; this one only answers.
      methods: [lockedMethod(1, 'push')],
    }),
    defineObject({
      classId: 41,
      version: 0,
      obis: tcp,
      description: 'TCP-UDP setup',
      attributes: [
        configurable(tcp, 2, 'TCP-UDP_port', u16(4059)),
        configurable(tcp, 3, 'IP_reference', lnValue(ip4)),
        configurable(tcp, 4, 'MSS', u16(576)),
        configurable(tcp, 5, 'nb_of_sim_conn', u8(4)),
        configurable(tcp, 6, 'inactivity_time_out', u16(180)),
      ],
    }),
    defineObject({
      classId: 42,
      version: 0,
      obis: ip4,
      description: 'IPv4 setup',
      attributes: [
        configurable(ip4, 2, 'DL_reference', lnValue(macObis)),
        configurable(ip4, 3, 'IP_address', u32(ipv4(192, 168, 1, 77))),
        configurable(ip4, 4, 'multicast_IP_address', array([])),
        configurable(ip4, 5, 'IP_options', array([])),
        configurable(ip4, 6, 'subnet_mask', u32(ipv4(255, 255, 255, 0))),
        configurable(ip4, 7, 'gateway_IP_address', u32(ipv4(192, 168, 1, 1))),
        configurable(ip4, 8, 'use_DHCP_flag', bool(false)),
        configurable(ip4, 9, 'primary_DNS_address', u32(ipv4(192, 168, 1, 1))),
        configurable(ip4, 10, 'secondary_DNS_address', u32(ipv4(9, 9, 9, 9))),
      ],
      methods: [lockedMethod(1, 'add_mc_IP_address'), lockedMethod(2, 'delete_mc_IP_address'), lockedMethod(3, 'get_nbof_mc_IP_addresses')],
    }),
    defineObject({
      classId: 43,
      version: 0,
      obis: macObis,
      description: 'MAC address setup',
      attributes: [readOnly(2, 'MAC_address', () => octets(mac))],
    }),
    defineObject({
      classId: 45,
      version: 0,
      obis: gprs,
      description: 'GPRS modem setup',
      attributes: [
        configurable(gprs, 2, 'APN', text('iot.example')),
        restricted(gprs, 3, 'PIN_code', u16(0), MANAGEMENT_READ_WRITE),
        configurable(gprs, 4, 'quality_of_service', struct(qos, qos)),
      ],
    }),
    defineObject({
      classId: 47,
      version: 2,
      obis: gsm,
      description: 'GSM diagnostic',
      attributes: [
        readOnly(2, 'operator', () => visible('Example Mobile')),
        readOnly(3, 'status', () => enm(1)),
        readOnly(4, 'cs_attachment', () => enm(0)),
        readOnly(5, 'ps_status', () => enm(5)),
        readOnly(6, 'cell_info', (ctx) => {
          const minute = Math.floor(ctx.now / 60_000);
          const quality = 14 + Math.floor(10 * unitHash(c.seed, minute, 30));
          return struct(u32(0x1a2b3c), u16(0x4d2), u8(quality), u8(99), u16(262), u16(1), u32(6300));
        }),
        readOnly(7, 'adjacent_cells', (ctx) => {
          const minute = Math.floor(ctx.now / 60_000);
          return array([
            struct(u32(0x1a2b3d), u8(8 + Math.floor(8 * unitHash(c.seed, minute, 31)))),
            struct(u32(0x1a2c01), u8(5 + Math.floor(8 * unitHash(c.seed, minute, 32)))),
          ]);
        }),
        readOnly(8, 'capture_time', (ctx) => dateTime(toDlmsDateTime(Math.floor(ctx.now / 60_000) * 60_000, state.zone))),
      ],
    }),
    defineObject({
      classId: 48,
      version: 0,
      obis: ip6,
      description: 'IPv6 setup',
      attributes: [
        configurable(ip6, 2, 'DL_reference', lnValue(macObis)),
        configurable(ip6, 3, 'address_config_mode', enm(0)),
        configurable(ip6, 4, 'unicast_IPv6_addresses', array([octets(ipv6(0x4d))])),
        configurable(ip6, 5, 'multicast_IPv6_addresses', array([])),
        configurable(ip6, 6, 'gateway_IPv6_addresses', array([octets(ipv6(1))])),
        configurable(ip6, 7, 'primary_DNS_address', octets(ipv6(0x53))),
        configurable(ip6, 8, 'secondary_DNS_address', octets(new Uint8Array(16))),
        configurable(ip6, 9, 'traffic_class', u8(0)),
        configurable(ip6, 10, 'neighbor_discovery_setup', array([struct(u8(3), u16(1000), u32(3600))])),
      ],
      methods: [lockedMethod(1, 'add_IPv6_address'), lockedMethod(2, 'remove_IPv6_address')],
    }),
  ];
}
