/**
 * Time-of-use and scheduling: the script tables, the activity calendar that switches tariffs, the
 * special days, the end-of-billing schedule and the register activation masks. Scripts really run:
 * executing the disconnector script calls the disconnector's method through the meter's own
 * object directory, as a meter's script engine does.
 */
import type { DlmsValue } from '../axdr/types.js';
import type { MeterState } from './meter-state.js';
import {
  ActionResult,
  DataAccessResult,
  defineObject,
  lockedMethod,
  method,
  readOnly,
  setting,
  type AccessContext,
  type CosemObject,
  type MethodOutcome,
} from './object-model.js';
import { DISCONNECT_CONTROL_OBIS, DISCONNECTOR_SCRIPT_TABLE_OBIS } from './objects-control.js';
import { tariffInForce } from './objects-identity.js';
import { array, dateOctets, enm, i8, lnValue, octets, scriptRef, struct, text, timeOctets, u16, u8 } from './values.js';

/** How a script reaches the objects it acts on (the directory implements it). */
export interface ScriptTarget {
  invoke(ctx: AccessContext, classId: number, logicalName: Uint8Array, methodId: number, parameters: DlmsValue): number;
  write(ctx: AccessContext, classId: number, logicalName: Uint8Array, attributeId: number, value: DlmsValue): number;
}

const SERVICE_WRITE = 1;
const SERVICE_EXECUTE = 2;

export const TARIFF_SCRIPT_TABLE_OBIS = '0-0:10.0.100.255';
export const BILLING_SCRIPT_TABLE_OBIS = '0-0:10.0.1.255';

function action(service: number, classId: number, code: string, index: number, parameter: DlmsValue): DlmsValue {
  return struct(enm(service), u16(classId), lnValue(code), i8(index), parameter);
}

function script(id: number, actions: DlmsValue[]): DlmsValue {
  return struct(u16(id), array(actions));
}

function scriptTable(state: MeterState, target: ScriptTarget, code: string, description: string, scripts: DlmsValue, executable: boolean): CosemObject {
  const key = `${code}/2`;
  const execute = (ctx: AccessContext, p: DlmsValue | undefined): MethodOutcome => {
    if (p === undefined || p.type !== 'long-unsigned') return { result: ActionResult.typeUnmatched };
    const table = state.get(key) ?? scripts;
    if (table.type !== 'array') return { result: ActionResult.otherReason };
    const found = table.items.find((s) => s.type === 'structure' && s.items[0]?.type === 'long-unsigned' && s.items[0].value === p.value);
    if (found === undefined || found.type !== 'structure') return { result: ActionResult.objectUnavailable };
    const actions = found.items[1];
    if (actions?.type !== 'array') return { result: ActionResult.otherReason };
    for (const a of actions.items) {
      if (a.type !== 'structure' || a.items.length !== 5) return { result: ActionResult.otherReason };
      const [service, cls, ln, index, parameter] = a.items as [DlmsValue, DlmsValue, DlmsValue, DlmsValue, DlmsValue];
      if (service.type !== 'enum' || cls.type !== 'long-unsigned' || ln.type !== 'octet-string' || index.type !== 'integer') {
        return { result: ActionResult.otherReason };
      }
      const outcome =
        service.value === SERVICE_EXECUTE
          ? target.invoke(ctx, cls.value, ln.value, index.value, parameter)
          : service.value === SERVICE_WRITE
            ? target.write(ctx, cls.value, ln.value, index.value, parameter)
            : DataAccessResult.otherReason;
      if (outcome !== 0) return { result: outcome };
    }
    return { result: ActionResult.success };
  };
  return defineObject({
    classId: 9,
    version: 0,
    obis: code,
    description,
    attributes: [setting(state, code, 2, 'scripts', scripts)],
    methods: [executable ? method(1, 'execute', execute) : lockedMethod(1, 'execute')],
  });
}

export function scheduleObjects(state: MeterState, target: ScriptTarget): CosemObject[] {
  const calendar = '0-0:13.0.0.255';
  const special = '0-0:11.0.0.255';
  const billing = '0-0:15.0.0.255';
  const activation = '0-0:14.0.0.255';
  const anyYear = 0xffff;

  const seasons = array([struct(text('ALLYEAR'), octets(Uint8Array.of(0xff, 0xff, 1, 1, 0xff, 0, 0, 0, 0, 0x80, 0x00, 0xff)), text('WEEK1'))]);
  const weeks = array([struct(text('WEEK1'), u8(1), u8(1), u8(1), u8(1), u8(1), u8(2), u8(2))]);
  const dayAction = (h: number, selector: number): DlmsValue => struct(timeOctets(h, 0), lnValue(TARIFF_SCRIPT_TABLE_OBIS), u16(selector));
  const days = array([struct(u8(1), array([dayAction(0, 2), dayAction(7, 1), dayAction(22, 2)])), struct(u8(2), array([dayAction(0, 2)]))]);
  const notSpecified = octets(new Uint8Array(12).fill(0xff).fill(0x80, 9, 10).fill(0x00, 10, 11));
  const calendarSettings = (id: number, name: string, initial: DlmsValue) => setting(state, calendar, id, name, initial);

  const entriesKey = `${special}/2`;
  const specialDays = array([
    struct(u16(1), dateOctets(anyYear, 1, 1), u8(2)),
    struct(u16(2), dateOctets(anyYear, 5, 1), u8(2)),
    struct(u16(3), dateOctets(anyYear, 12, 25), u8(2)),
    struct(u16(4), dateOctets(anyYear, 12, 26), u8(2)),
  ]);
  const specialEntries = (): readonly DlmsValue[] => {
    const v = state.get(entriesKey) ?? specialDays;
    return v.type === 'array' ? v.items : [];
  };

  return [
    scriptTable(
      state,
      target,
      '0-0:10.0.0.255',
      'Global meter reset script table',
      array([script(1, [action(SERVICE_EXECUTE, 7, '1-0:99.1.0.255', 1, i8(0)), action(SERVICE_EXECUTE, 7, '0-0:99.98.0.255', 1, i8(0))])]),
      false,
    ),
    scriptTable(
      state,
      target,
      BILLING_SCRIPT_TABLE_OBIS,
      'End of billing period script table',
      array([script(1, [action(SERVICE_EXECUTE, 4, '1-0:1.6.0.255', 1, i8(0))])]),
      true,
    ),
    scriptTable(
      state,
      target,
      TARIFF_SCRIPT_TABLE_OBIS,
      'Tariffication script table',
      array([script(1, [action(SERVICE_WRITE, 6, activation, 4, text('T1'))]), script(2, [action(SERVICE_WRITE, 6, activation, 4, text('T2'))])]),
      true,
    ),
    scriptTable(
      state,
      target,
      DISCONNECTOR_SCRIPT_TABLE_OBIS,
      'Disconnector script table',
      array([
        script(1, [action(SERVICE_EXECUTE, 70, DISCONNECT_CONTROL_OBIS, 1, i8(0))]),
        script(2, [action(SERVICE_EXECUTE, 70, DISCONNECT_CONTROL_OBIS, 2, i8(0))]),
      ]),
      true,
    ),
    defineObject({
      classId: 20,
      version: 0,
      obis: calendar,
      description: 'Activity calendar (day and night tariff)',
      attributes: [
        calendarSettings(2, 'calendar_name_active', text('TOU-2020')),
        calendarSettings(3, 'season_profile_active', seasons),
        calendarSettings(4, 'week_profile_table_active', weeks),
        calendarSettings(5, 'day_profile_table_active', days),
        calendarSettings(6, 'calendar_name_passive', text('TOU-2020')),
        calendarSettings(7, 'season_profile_passive', seasons),
        calendarSettings(8, 'week_profile_table_passive', weeks),
        calendarSettings(9, 'day_profile_table_passive', days),
        calendarSettings(10, 'activate_passive_calendar_time', notSpecified),
      ],
      methods: [
        method(1, 'activate_passive_calendar', (_ctx, p) => {
          if (p !== undefined && p.type !== 'integer') return { result: ActionResult.typeUnmatched };
          for (let i = 6; i <= 9; i++) {
            const passive = state.get(`${calendar}/${i}`);
            if (passive !== undefined) state.set(`${calendar}/${i - 4}`, passive);
            else state.set(`${calendar}/${i - 4}`, [text('TOU-2020'), seasons, weeks, days][i - 6]!);
          }
          return { result: ActionResult.success };
        }),
      ],
    }),
    defineObject({
      classId: 11,
      version: 0,
      obis: special,
      description: 'Special days table (public holidays)',
      attributes: [readOnly(2, 'entries', () => array(specialEntries()))],
      methods: [
        method(1, 'insert', (_ctx, p) => {
          if (p === undefined || p.type !== 'structure' || p.items.length !== 3) return { result: ActionResult.typeUnmatched };
          const [index, date, dayId] = p.items as [DlmsValue, DlmsValue, DlmsValue];
          if (index.type !== 'long-unsigned' || date.type !== 'octet-string' || date.value.length !== 5 || dayId.type !== 'unsigned') {
            return { result: ActionResult.typeUnmatched };
          }
          const kept = specialEntries().filter((e) => e.type === 'structure' && e.items[0]?.type === 'long-unsigned' && e.items[0].value !== index.value);
          state.set(entriesKey, array([...kept, p]));
          return { result: ActionResult.success };
        }),
        method(2, 'delete', (_ctx, p) => {
          if (p === undefined || p.type !== 'long-unsigned') return { result: ActionResult.typeUnmatched };
          const kept = specialEntries().filter((e) => e.type === 'structure' && e.items[0]?.type === 'long-unsigned' && e.items[0].value !== p.value);
          state.set(entriesKey, array(kept));
          return { result: ActionResult.success };
        }),
      ],
    }),
    defineObject({
      classId: 22,
      version: 0,
      obis: billing,
      description: 'End of billing period (first day of the month, 00:00)',
      attributes: [
        setting(state, billing, 2, 'executed_script', scriptRef(BILLING_SCRIPT_TABLE_OBIS, 1)),
        setting(state, billing, 3, 'type', enm(1)),
        setting(state, billing, 4, 'execution_time', array([struct(timeOctets(0, 0), dateOctets(anyYear, 0xff, 1))])),
      ],
    }),
    defineObject({
      classId: 6,
      version: 0,
      obis: activation,
      description: 'Register activation (energy tariffs)',
      attributes: [
        readOnly(2, 'register_assignment', () => array([struct(u16(3), lnValue('1-0:1.8.1.255')), struct(u16(3), lnValue('1-0:1.8.2.255'))])),
        readOnly(3, 'mask_list', () => array([struct(text('T1'), array([u8(1)])), struct(text('T2'), array([u8(2)]))])),
        {
          id: 4,
          name: 'active_mask',
          access: { public: 'read', management: 'read-write' },
          // A written mask (the tariff scripts write it) holds until the calendar's next switch.
          read: (ctx) => text(`T${tariffInForce(state, ctx.now)}`),
          write: (ctx, v) => {
            if (v.type !== 'octet-string') return DataAccessResult.typeUnmatched;
            const name = String.fromCharCode(...v.value);
            if (name !== 'T1' && name !== 'T2') return DataAccessResult.otherReason;
            state.tariffOverride = { tariff: name === 'T1' ? 1 : 2, from: ctx.now };
            return DataAccessResult.success;
          },
        },
      ],
      methods: [lockedMethod(1, 'add_register'), lockedMethod(2, 'add_mask'), lockedMethod(3, 'delete_mask')],
    }),
  ];
}
