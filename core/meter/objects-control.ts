/**
 * Supply control: the disconnector (class 70) with its remote disconnect/reconnect methods, the
 * power limiter and the voltage monitor that would drive it, and the arbitrator that decides
 * between competing requests.
 */
import type { DlmsValue } from '../axdr/types.js';
import { ControlState, type MeterState } from './meter-state.js';
import {
  ActionResult,
  DataAccessResult,
  READ_WRITE,
  defineObject,
  lockedMethod,
  method,
  readOnly,
  setting,
  type CosemObject,
  type MethodOutcome,
} from './object-model.js';
import { array, bits, bool, dateTime, enm, i8, lnValue, scriptRef, struct, u16, u32, u8 } from './values.js';
import { toDlmsDateTime } from './calendar.js';

export const DISCONNECT_CONTROL_OBIS = '0-0:96.3.10.255';
export const DISCONNECTOR_SCRIPT_TABLE_OBIS = '0-0:10.0.106.255';

/** Control modes whose remote reconnection needs the customer to press the button (manual). */
const MANUAL_RECONNECT_MODES = new Set([2, 4, 6]);

function valueDefinition(classId: number, code: string, attribute: number): DlmsValue {
  return struct(u16(classId), lnValue(code), i8(attribute));
}

export function disconnectControlObject(state: MeterState): CosemObject {
  const d = state.disconnector;
  const integerParameter = (p: DlmsValue | undefined): boolean => p === undefined || p.type === 'integer';
  return defineObject({
    classId: 70,
    version: 0,
    obis: DISCONNECT_CONTROL_OBIS,
    description: 'Disconnect control (supply breaker)',
    attributes: [
      readOnly(2, 'output_state', () => bool(d.outputState)),
      readOnly(3, 'control_state', () => enm(d.controlState)),
      {
        id: 4,
        name: 'control_mode',
        access: READ_WRITE,
        read: () => enm(d.controlMode),
        write: (_ctx, v) => {
          if (v.type !== 'enum') return DataAccessResult.typeUnmatched;
          if (v.value > 6) return DataAccessResult.otherReason;
          d.controlMode = v.value;
          return DataAccessResult.success;
        },
      },
    ],
    methods: [
      method(1, 'remote_disconnect', (_ctx, p): MethodOutcome => {
        if (!integerParameter(p)) return { result: ActionResult.typeUnmatched };
        // Mode 0: the disconnector is always connected and ignores commands.
        if (d.controlMode === 0) return { result: ActionResult.temporaryFailure };
        d.controlState = ControlState.disconnected;
        d.outputState = false;
        return { result: ActionResult.success };
      }),
      method(2, 'remote_reconnect', (_ctx, p): MethodOutcome => {
        if (!integerParameter(p)) return { result: ActionResult.typeUnmatched };
        if (d.controlMode === 0) return { result: ActionResult.temporaryFailure };
        // Only a disconnected breaker moves: to connected (transition d), or in the modes where the
        // customer reconnects, to ready_for_reconnection (a). From ready_for_reconnection only the
        // customer's button reconnects; connected stays connected.
        if (d.controlState !== ControlState.disconnected) return { result: ActionResult.success };
        if (MANUAL_RECONNECT_MODES.has(d.controlMode)) {
          d.controlState = ControlState.readyForReconnection;
        } else {
          d.controlState = ControlState.connected;
          d.outputState = true;
        }
        return { result: ActionResult.success };
      }),
    ],
  });
}

export function supplyControlObjects(state: MeterState): CosemObject[] {
  const limiter = '0-0:17.0.0.255';
  const monitor = '0-0:16.1.0.255';
  const arbitrator = '0-0:96.3.20.255';
  const open = (o: string, id: number, name: string, v: DlmsValue) => setting(state, o, id, name, v);
  const emergencyStart = dateTime(toDlmsDateTime(state.config.installedAt, state.zone));
  return [
    defineObject({
      classId: 71,
      version: 0,
      obis: limiter,
      description: 'Limiter (import power)',
      attributes: [
        open(limiter, 2, 'monitored_value', valueDefinition(3, '1-0:1.7.0.255', 2)),
        open(limiter, 3, 'threshold_active', u32(15000)),
        open(limiter, 4, 'threshold_normal', u32(15000)),
        open(limiter, 5, 'threshold_emergency', u32(6000)),
        open(limiter, 6, 'min_over_threshold_duration', u32(60)),
        open(limiter, 7, 'min_under_threshold_duration', u32(30)),
        open(limiter, 8, 'emergency_profile', struct(u16(0), emergencyStart, u32(0))),
        open(limiter, 9, 'emergency_profile_group_id_list', array([u16(1)])),
        readOnly(10, 'emergency_profile_active', () => bool(false)),
        open(limiter, 11, 'actions', struct(scriptRef(DISCONNECTOR_SCRIPT_TABLE_OBIS, 1), scriptRef(DISCONNECTOR_SCRIPT_TABLE_OBIS, 2))),
      ],
    }),
    defineObject({
      classId: 21,
      version: 0,
      obis: monitor,
      description: 'Register monitor (over-voltage L1)',
      attributes: [
        open(monitor, 2, 'thresholds', array([u16(2530)])),
        readOnly(3, 'monitored_value', () => valueDefinition(3, '1-0:32.7.0.255', 2)),
        // Selector 0: the monitor only records; it triggers no script.
        open(monitor, 4, 'actions', array([struct(scriptRef(DISCONNECTOR_SCRIPT_TABLE_OBIS, 0), scriptRef(DISCONNECTOR_SCRIPT_TABLE_OBIS, 0))])),
      ],
    }),
    defineObject({
      classId: 68,
      version: 0,
      obis: arbitrator,
      description: 'Arbitrator (supply control requests)',
      attributes: [
        open(arbitrator, 2, 'actions', array([scriptRef(DISCONNECTOR_SCRIPT_TABLE_OBIS, 1), scriptRef(DISCONNECTOR_SCRIPT_TABLE_OBIS, 2)])),
        open(arbitrator, 3, 'permissions_table', array([bits('11'), bits('01')])),
        open(arbitrator, 4, 'weightings_table', array([array([u16(1), u16(1)]), array([u16(0), u16(2)])])),
        readOnly(5, 'most_recent_requests_table', () => array([bits('00'), bits('00')])),
        readOnly(6, 'last_outcome', () => u8(0)),
      ],
      methods: [lockedMethod(1, 'request'), lockedMethod(2, 'reset')],
    }),
  ];
}
