import { InputError } from '../errors.js';

/**
 * The COSEM interface classes the spec lets an engineer pick ("COSEM class id"), plus Association
 * SN (12), which short-name referencing needs. Attribute and method names are the Blue Book's
 * (IEC 62056-6-2); `type` is given where the Blue Book fixes the data type.
 */

export interface CosemAttribute {
  readonly id: number;
  readonly name: string;
  /** The fixed data type, e.g. `octet-string(6)`; absent where the class leaves it open (CHOICE). */
  readonly type?: string;
  /** Set when the attribute only exists from this class version on. */
  readonly sinceVersion?: number;
}

export interface CosemMethod {
  readonly id: number;
  readonly name: string;
  readonly sinceVersion?: number;
}

export interface CosemClass {
  readonly classId: number;
  /** Blue Book name, e.g. 'Register'. */
  readonly name: string;
  /** The label exactly as the spec's class list writes it, e.g. 'REGISTER (ID: 3)'. */
  readonly specLabel: string;
  /** The class version meters in the field usually carry. */
  readonly version: number;
  readonly attributes: readonly CosemAttribute[];
  readonly methods: readonly CosemMethod[];
}

type AttrSpec = readonly [id: number, name: string, type?: string, sinceVersion?: number];
type MethodSpec = readonly [id: number, name: string, sinceVersion?: number];

const LN = 'octet-string(6)';
const DATE_TIME = 'octet-string(12) date-time';
const SCALER_UNIT = 'structure{integer, enum}';
const CAPTURE_OBJECT = 'structure{long-unsigned class_id, octet-string(6) logical_name, integer attribute_index, long-unsigned data_index}';
const VALUE_DEFINITION = 'structure{long-unsigned class_id, octet-string(6) logical_name, integer attribute_index}';
const SCRIPT_REF = 'structure{octet-string(6) script_logical_name, long-unsigned script_selector}';

function defineClass(
  classId: number,
  name: string,
  specLabel: string,
  version: number,
  attributes: readonly AttrSpec[],
  methods: readonly MethodSpec[] = [],
): CosemClass {
  const attrs: CosemAttribute[] = [{ id: 1, name: 'logical_name', type: LN }];
  for (const [id, attrName, type, since] of attributes) {
    attrs.push({
      id,
      name: attrName,
      ...(type === undefined ? {} : { type }),
      ...(since === undefined ? {} : { sinceVersion: since }),
    });
  }
  const meths: CosemMethod[] = methods.map(([id, methodName, since]) => ({
    id,
    name: methodName,
    ...(since === undefined ? {} : { sinceVersion: since }),
  }));
  return Object.freeze({
    classId,
    name,
    specLabel,
    version,
    attributes: Object.freeze(attrs.map((a) => Object.freeze(a))),
    methods: Object.freeze(meths.map((m) => Object.freeze(m))),
  });
}

export const COSEM_CLASSES: readonly CosemClass[] = Object.freeze([
  defineClass(1, 'Data', 'DATA (ID: 1)', 0, [[2, 'value']]),
  defineClass(
    3,
    'Register',
    'REGISTER (ID: 3)',
    0,
    [
      [2, 'value'],
      [3, 'scaler_unit', SCALER_UNIT],
    ],
    [[1, 'reset']],
  ),
  defineClass(
    4,
    'Extended register',
    'EXTENDED REGISTER (ID: 4)',
    0,
    [
      [2, 'value'],
      [3, 'scaler_unit', SCALER_UNIT],
      [4, 'status'],
      [5, 'capture_time', DATE_TIME],
    ],
    [[1, 'reset']],
  ),
  defineClass(
    5,
    'Demand register',
    'DEMAND REGISTER (ID: 5)',
    0,
    [
      [2, 'current_average_value'],
      [3, 'last_average_value'],
      [4, 'scaler_unit', SCALER_UNIT],
      [5, 'status'],
      [6, 'capture_time', DATE_TIME],
      [7, 'start_time_current', DATE_TIME],
      [8, 'period', 'double-long-unsigned'],
      [9, 'number_of_periods', 'long-unsigned'],
    ],
    [
      [1, 'reset'],
      [2, 'next_period'],
    ],
  ),
  defineClass(
    6,
    'Register activation',
    'REGISTER ACTIVATION (ID: 6)',
    0,
    [
      [2, 'register_assignment', 'array of structure{long-unsigned class_id, octet-string(6) logical_name}'],
      [3, 'mask_list', 'array of structure{octet-string mask_name, array of unsigned index_list}'],
      [4, 'active_mask', 'octet-string'],
    ],
    [
      [1, 'add_register'],
      [2, 'add_mask'],
      [3, 'delete_mask'],
    ],
  ),
  defineClass(
    7,
    'Profile generic',
    'PROFILE GENERIC (ID: 7)',
    1,
    [
      [2, 'buffer', 'array of structure'],
      [3, 'capture_objects', `array of ${CAPTURE_OBJECT}`],
      [4, 'capture_period', 'double-long-unsigned'],
      [5, 'sort_method', 'enum'],
      [6, 'sort_object', CAPTURE_OBJECT],
      [7, 'entries_in_use', 'double-long-unsigned'],
      [8, 'profile_entries', 'double-long-unsigned'],
    ],
    [
      [1, 'reset'],
      [2, 'capture'],
    ],
  ),
  defineClass(
    8,
    'Clock',
    'CLOCK (ID: 8)',
    0,
    [
      [2, 'time', DATE_TIME],
      [3, 'time_zone', 'long'],
      [4, 'status', 'unsigned'],
      [5, 'daylight_savings_begin', DATE_TIME],
      [6, 'daylight_savings_end', DATE_TIME],
      [7, 'daylight_savings_deviation', 'integer'],
      [8, 'daylight_savings_enabled', 'boolean'],
      [9, 'clock_base', 'enum'],
    ],
    [
      [1, 'adjust_to_quarter'],
      [2, 'adjust_to_measuring_period'],
      [3, 'adjust_to_minute'],
      [4, 'adjust_to_preset_time'],
      [5, 'preset_adjusting_time'],
      [6, 'shift_time'],
    ],
  ),
  defineClass(
    9,
    'Script table',
    'SCRIPT TABLE (ID: 9)',
    0,
    [[2, 'scripts', 'array of structure{long-unsigned script_identifier, array actions}']],
    [[1, 'execute']],
  ),
  defineClass(
    11,
    'Special days table',
    'SPECIAL DAYS TABLE (ID: 11)',
    0,
    [[2, 'entries', 'array of structure{long-unsigned index, octet-string(5) specialday_date, unsigned day_id}']],
    [
      [1, 'insert'],
      [2, 'delete'],
    ],
  ),
  defineClass(
    12,
    'Association SN',
    'ASSOCIATION SHORT NAME (ID: 12)',
    2,
    [
      [2, 'object_list', 'array of structure{long base_name, long-unsigned class_id, unsigned version, octet-string(6) logical_name}'],
      [3, 'access_rights_list', 'array'],
      [4, 'security_setup_reference', LN],
    ],
    [
      // Methods 1, 2 and 7 are reserved in this class.
      [3, 'read_by_logicalname'],
      [4, 'get_attributes&methods'],
      [5, 'change_LLS_secret'],
      [6, 'change_HLS_secret'],
      [8, 'reply_to_HLS_authentication'],
    ],
  ),
  defineClass(
    15,
    'Association LN',
    'ASSOCIATION LOGICAL NAME (ID: 15)',
    2,
    [
      [2, 'object_list', 'array of structure{long-unsigned class_id, unsigned version, octet-string(6) logical_name, structure access_rights}'],
      [3, 'associated_partners_id', 'structure{integer client_SAP, long-unsigned server_SAP}'],
      [4, 'application_context_name', 'object identifier'],
      [
        5,
        'xDLMS_context_info',
        'structure{bit-string(24) conformance, long-unsigned max_receive_pdu_size, long-unsigned max_send_pdu_size, unsigned dlms_version_number, ' +
          'integer quality_of_service, octet-string cyphering_info}',
      ],
      [6, 'authentication_mechanism_name', 'object identifier'],
      [7, 'secret', 'octet-string'],
      [8, 'association_status', 'enum'],
      [9, 'security_setup_reference', LN],
      [10, 'user_list', 'array of structure{unsigned user_id, visible-string user_name}', 2],
      [11, 'current_user', 'structure{unsigned user_id, visible-string user_name}', 2],
    ],
    [
      [1, 'reply_to_HLS_authentication'],
      [2, 'change_HLS_secret'],
      [3, 'add_object'],
      [4, 'remove_object'],
      [5, 'add_user', 2],
      [6, 'remove_user', 2],
    ],
  ),
  defineClass(
    17,
    'SAP assignment',
    'SAP ASSIGNMENT (ID: 17)',
    0,
    [[2, 'SAP_assignment_list', 'array of structure{long-unsigned SAP, octet-string logical_device_name}']],
    [[1, 'connect_logical_device']],
  ),
  defineClass(
    18,
    'Image transfer',
    'IMAGE TRANSFER (ID: 18)',
    0,
    [
      [2, 'image_block_size', 'double-long-unsigned'],
      [3, 'image_transferred_blocks_status', 'bit-string'],
      [4, 'image_first_not_transferred_block_number', 'double-long-unsigned'],
      [5, 'image_transfer_enabled', 'boolean'],
      [6, 'image_transfer_status', 'enum'],
      [
        7,
        'image_to_activate_info',
        'array of structure{double-long-unsigned image_to_activate_size, octet-string image_to_activate_identification, octet-string ' +
          'image_to_activate_signature}',
      ],
    ],
    [
      [1, 'image_transfer_initiate'],
      [2, 'image_block_transfer'],
      [3, 'image_verify'],
      [4, 'image_activate'],
    ],
  ),
  defineClass(19, 'IEC local port setup', 'IEC LOCAL PORT SETUP (ID: 19)', 1, [
    [2, 'default_mode', 'enum'],
    [3, 'default_baud', 'enum'],
    [4, 'prop_baud', 'enum'],
    [5, 'response_time', 'enum'],
    [6, 'device_addr', 'octet-string'],
    [7, 'pass_p1', 'octet-string'],
    [8, 'pass_p2', 'octet-string'],
    [9, 'pass_w5', 'octet-string'],
  ]),
  defineClass(
    20,
    'Activity calendar',
    'ACTIVITY CALENDAR (ID: 20)',
    0,
    [
      [2, 'calendar_name_active', 'octet-string'],
      [3, 'season_profile_active', 'array of structure{octet-string season_profile_name, octet-string(12) season_start, octet-string week_name}'],
      [4, 'week_profile_table_active', 'array of structure{octet-string week_profile_name, unsigned monday .. unsigned sunday}'],
      [5, 'day_profile_table_active', 'array of structure{unsigned day_id, array day_schedule}'],
      [6, 'calendar_name_passive', 'octet-string'],
      [7, 'season_profile_passive', 'array of structure{octet-string season_profile_name, octet-string(12) season_start, octet-string week_name}'],
      [8, 'week_profile_table_passive', 'array of structure{octet-string week_profile_name, unsigned monday .. unsigned sunday}'],
      [9, 'day_profile_table_passive', 'array of structure{unsigned day_id, array day_schedule}'],
      [10, 'activate_passive_calendar_time', DATE_TIME],
    ],
    [[1, 'activate_passive_calendar']],
  ),
  defineClass(21, 'Register monitor', 'REGISTER MONITOR (ID: 21)', 0, [
    [2, 'thresholds', 'array'],
    [3, 'monitored_value', VALUE_DEFINITION],
    [4, 'actions', `array of structure{${SCRIPT_REF} action_up, ${SCRIPT_REF} action_down}`],
  ]),
  defineClass(22, 'Single action schedule', 'ACTION SCHEDULE (ID: 22)', 0, [
    [2, 'executed_script', SCRIPT_REF],
    [3, 'type', 'enum'],
    [4, 'execution_time', 'array of structure{octet-string(4) time, octet-string(5) date}'],
  ]),
  defineClass(23, 'IEC HDLC setup', 'IEC HDLC SETUP (ID: 23)', 1, [
    [2, 'comm_speed', 'enum'],
    [3, 'window_size_transmit', 'unsigned'],
    [4, 'window_size_receive', 'unsigned'],
    [5, 'max_info_field_length_transmit', 'long-unsigned'],
    [6, 'max_info_field_length_receive', 'long-unsigned'],
    [7, 'inter_octet_time_out', 'long-unsigned'],
    [8, 'inactivity_time_out', 'long-unsigned'],
    [9, 'device_address', 'long-unsigned'],
  ]),
  defineClass(24, 'IEC twisted pair (1) setup', 'IEC TWISTED PAIR SETUP (ID: 24)', 1, [
    [2, 'mode', 'enum'],
    [3, 'comm_speed', 'enum'],
    [4, 'primary_address_list', 'array of unsigned'],
    [5, 'tabi_list', 'array of integer'],
  ]),
  defineClass(26, 'Utility tables', 'UTILITY TABLES (ID: 26)', 0, [
    [2, 'table_ID', 'long-unsigned'],
    [3, 'length', 'double-long-unsigned'],
    [4, 'buffer', 'octet-string'],
  ]),
  defineClass(27, 'Modem configuration', 'MODEM CONFIGURATION (ID: 27)', 1, [
    [2, 'comm_speed', 'enum'],
    [3, 'initialization_string', 'array of structure{octet-string request, octet-string response, long-unsigned delay_after_response}'],
    [4, 'modem_profile', 'array of octet-string'],
  ]),
  defineClass(28, 'Auto answer', 'AUTO ANSWER (ID: 28)', 2, [
    [2, 'mode', 'enum'],
    [3, 'listening_window', 'array of structure{octet-string(12) start_time, octet-string(12) end_time}'],
    [4, 'status', 'enum'],
    [5, 'number_of_calls', 'unsigned'],
    [6, 'number_of_rings', 'structure{unsigned nr_rings_in_window, unsigned nr_rings_out_of_window}'],
    [7, 'list_of_allowed_callers', 'array of structure{octet-string caller_id, enum call_type}'],
  ]),
  defineClass(
    29,
    'Auto connect',
    'AUTO CONNECT (ID: 29)',
    2,
    [
      [2, 'mode', 'enum'],
      [3, 'repetitions', 'unsigned'],
      [4, 'repetition_delay', 'long-unsigned'],
      [5, 'calling_window', 'array of structure{octet-string(12) start_time, octet-string(12) end_time}'],
      [6, 'destination_list', 'array of octet-string'],
    ],
    [[1, 'connect']],
  ),
  defineClass(
    40,
    'Push setup',
    'PUSH SETUP (ID: 40)',
    0,
    [
      [2, 'push_object_list', `array of ${CAPTURE_OBJECT}`],
      [3, 'send_destination_and_method', 'structure{enum transport_service, octet-string destination, enum message}'],
      [4, 'communication_window', 'array of structure{octet-string(12) start_time, octet-string(12) end_time}'],
      [5, 'randomisation_start_interval', 'long-unsigned'],
      [6, 'number_of_retries', 'unsigned'],
      [7, 'repetition_delay', 'long-unsigned'],
      [8, 'port_reference', LN, 1],
      [9, 'push_client_SAP', 'integer', 1],
      [10, 'push_protection_parameters', 'array', 1],
      [11, 'push_operation_method', 'enum', 2],
      [12, 'confirmation_parameters', 'structure{octet-string(12) confirmation_start_date, double-long-unsigned confirmation_interval}', 2],
      [13, 'last_confirmation_date_time', DATE_TIME, 2],
    ],
    [
      [1, 'push'],
      [2, 'reset', 2],
    ],
  ),
  defineClass(41, 'TCP-UDP setup', 'TCP UDP SETUP (ID: 41)', 0, [
    [2, 'TCP-UDP_port', 'long-unsigned'],
    [3, 'IP_reference', LN],
    [4, 'MSS', 'long-unsigned'],
    [5, 'nb_of_sim_conn', 'unsigned'],
    [6, 'inactivity_time_out', 'long-unsigned'],
  ]),
  defineClass(
    42,
    'IPv4 setup',
    'IP4 SETUP (ID: 42)',
    0,
    [
      [2, 'DL_reference', LN],
      [3, 'IP_address', 'double-long-unsigned'],
      [4, 'multicast_IP_address', 'array of double-long-unsigned'],
      [5, 'IP_options', 'array of structure{unsigned IP_option_type, unsigned IP_option_length, octet-string IP_option_data}'],
      [6, 'subnet_mask', 'double-long-unsigned'],
      [7, 'gateway_IP_address', 'double-long-unsigned'],
      [8, 'use_DHCP_flag', 'boolean'],
      [9, 'primary_DNS_address', 'double-long-unsigned'],
      [10, 'secondary_DNS_address', 'double-long-unsigned'],
    ],
    [
      [1, 'add_mc_IP_address'],
      [2, 'delete_mc_IP_address'],
      [3, 'get_nbof_mc_IP_addresses'],
    ],
  ),
  defineClass(43, 'MAC address setup', 'MAC ADDRESS SETUP (ID: 43)', 0, [[2, 'MAC_address', 'octet-string']]),
  defineClass(45, 'GPRS modem setup', 'GPRS SETUP (ID: 45)', 0, [
    [2, 'APN', 'octet-string'],
    [3, 'PIN_code', 'long-unsigned'],
    [4, 'quality_of_service', 'structure{structure default, structure requested}'],
  ]),
  defineClass(47, 'GSM diagnostic', 'GSM DIAGNOSTIC (ID: 47)', 2, [
    [2, 'operator', 'visible-string'],
    [3, 'status', 'enum'],
    [4, 'cs_attachment', 'enum'],
    [5, 'ps_status', 'enum'],
    [6, 'cell_info', 'structure'],
    [7, 'adjacent_cells', 'array of structure{double-long-unsigned cell_ID, unsigned signal_quality}'],
    [8, 'capture_time', DATE_TIME],
  ]),
  defineClass(
    48,
    'IPv6 setup',
    'IP6 SETUP (ID: 48)',
    0,
    [
      [2, 'DL_reference', LN],
      [3, 'address_config_mode', 'enum'],
      [4, 'unicast_IPv6_addresses', 'array of octet-string(16)'],
      [5, 'multicast_IPv6_addresses', 'array of octet-string(16)'],
      [6, 'gateway_IPv6_addresses', 'array of octet-string(16)'],
      [7, 'primary_DNS_address', 'octet-string(16)'],
      [8, 'secondary_DNS_address', 'octet-string(16)'],
      [9, 'traffic_class', 'unsigned'],
      [10, 'neighbor_discovery_setup', 'array of structure{unsigned max_retry, long-unsigned retry_wait_time, double-long-unsigned send_period}'],
    ],
    [
      [1, 'add_IPv6_address'],
      [2, 'remove_IPv6_address'],
    ],
  ),
  defineClass(
    62,
    'Compact data',
    'COMPACT DATA (ID: 62)',
    1,
    [
      [2, 'compact_buffer', 'octet-string'],
      [3, 'capture_objects', `array of ${CAPTURE_OBJECT}`],
      [4, 'template_id', 'unsigned'],
      [5, 'template_description', 'octet-string'],
      [6, 'capture_method', 'enum'],
    ],
    [
      [1, 'reset'],
      [2, 'capture'],
    ],
  ),
  defineClass(
    64,
    'Security setup',
    'SECURITY SETUP (ID: 64)',
    1,
    [
      [2, 'security_policy', 'enum'],
      [3, 'security_suite', 'enum'],
      [4, 'client_system_title', 'octet-string'],
      [5, 'server_system_title', 'octet-string'],
      [6, 'certificates', 'array of structure', 1],
    ],
    [
      [1, 'security_activate'],
      [2, 'key_transfer'],
      [3, 'key_agreement', 1],
      [4, 'generate_key_pair', 1],
      [5, 'generate_certificate_request', 1],
      [6, 'import_certificate', 1],
      [7, 'export_certificate', 1],
      [8, 'remove_certificate', 1],
    ],
  ),
  defineClass(
    68,
    'Arbitrator',
    'ARBITRATOR (ID: 68)',
    0,
    [
      [2, 'actions', `array of ${SCRIPT_REF}`],
      [3, 'permissions_table', 'array of bit-string'],
      [4, 'weightings_table', 'array of array of long-unsigned'],
      [5, 'most_recent_requests_table', 'array of bit-string'],
      [6, 'last_outcome', 'unsigned'],
    ],
    [
      [1, 'request'],
      [2, 'reset'],
    ],
  ),
  defineClass(
    70,
    'Disconnect control',
    'DISCONNECT CONTROL (ID: 70)',
    0,
    [
      [2, 'output_state', 'boolean'],
      [3, 'control_state', 'enum'],
      [4, 'control_mode', 'enum'],
    ],
    [
      [1, 'remote_disconnect'],
      [2, 'remote_reconnect'],
    ],
  ),
  defineClass(71, 'Limiter', 'LIMITER (ID: 71)', 0, [
    [2, 'monitored_value', VALUE_DEFINITION],
    [3, 'threshold_active'],
    [4, 'threshold_normal'],
    [5, 'threshold_emergency'],
    [6, 'min_over_threshold_duration', 'double-long-unsigned'],
    [7, 'min_under_threshold_duration', 'double-long-unsigned'],
    [
      8,
      'emergency_profile',
      'structure{long-unsigned emergency_profile_id, octet-string(12) emergency_activation_time, double-long-unsigned emergency_duration}',
    ],
    [9, 'emergency_profile_group_id_list', 'array of long-unsigned'],
    [10, 'emergency_profile_active', 'boolean'],
    [11, 'actions', `structure{${SCRIPT_REF} action_over_threshold, ${SCRIPT_REF} action_under_threshold}`],
  ]),
]);

const BY_ID: ReadonlyMap<number, CosemClass> = new Map(COSEM_CLASSES.map((c) => [c.classId, c]));

/** The class, or undefined when it is not one of ours. */
export function findCosemClass(classId: number): CosemClass | undefined {
  return BY_ID.get(classId);
}

/** The class; an unknown id throws InputError naming the ids that are known. */
export function cosemClass(classId: number): CosemClass {
  const found = BY_ID.get(classId);
  if (found === undefined) {
    throw new InputError('COSEM class id', classId, `known class ids are ${COSEM_CLASSES.map((c) => c.classId).join(', ')}`);
  }
  return found;
}

/** The Blue Book attribute name, or undefined for an unknown class or attribute. */
export function attributeName(classId: number, attr: number): string | undefined {
  return BY_ID.get(classId)?.attributes.find((a) => a.id === attr)?.name;
}

/** The Blue Book method name, or undefined for an unknown class or method. */
export function methodName(classId: number, method: number): string | undefined {
  return BY_ID.get(classId)?.methods.find((m) => m.id === method)?.name;
}

/**
 * How to label an attribute of any class: its Blue Book name where the class has a table here, else
 * "attribute N" (a class known by name only, e.g. PPP setup, shows its values raw under these).
 */
export function attributeLabel(classId: number, attr: number): string {
  return attributeName(classId, attr) ?? `attribute ${attr}`;
}
