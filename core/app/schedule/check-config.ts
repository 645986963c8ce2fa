/**
 * The schedule refuses a configuration it cannot run before changing anything, naming the field:
 * an Interval outside 1..4294967295, two groups with one id. The other checks of the forms belong
 * to the configuration model; these are the ones the timing depends on.
 */
import { InputError } from '../../errors.js';
import type { ScheduleConfig } from './types.js';

export const MIN_INTERVAL_SECONDS = 1;
export const MAX_INTERVAL_SECONDS = 4_294_967_295;

export function checkScheduleConfig(config: ScheduleConfig): void {
  if (config === null || typeof config !== 'object') throw new InputError('schedule', config, 'an object with enabled, devices and groups is expected');
  if (typeof config.enabled !== 'boolean') throw new InputError('Enable (global)', config.enabled, 'on or off (true or false)');
  if (!Array.isArray(config.devices)) throw new InputError('devices', config.devices, 'a list is expected');
  if (!Array.isArray(config.groups)) throw new InputError('groups', config.groups, 'a list is expected');
  const deviceIds = new Set<string>();
  for (const d of config.devices) {
    checkId('physical device id', d?.id, deviceIds);
    if (typeof d.enabled !== 'boolean') throw new InputError(`physical device ${d.id}: Enable`, d.enabled, 'on or off (true or false)');
    if (typeof d.linkId !== 'string' || d.linkId === '')
      throw new InputError(`physical device ${d.id}: Connection`, d.linkId, 'the id of a connection is expected');
  }
  const groupIds = new Set<string>();
  for (const g of config.groups) {
    checkId('group id', g?.id, groupIds);
    if (typeof g.enabled !== 'boolean') throw new InputError(`group ${g.id}: Enable`, g.enabled, 'on or off (true or false)');
    const s = g.intervalSeconds;
    if (typeof s !== 'number' || !Number.isInteger(s) || s < MIN_INTERVAL_SECONDS || s > MAX_INTERVAL_SECONDS) {
      throw new InputError(`group ${g.id}: Interval`, s, `a whole number of seconds from ${MIN_INTERVAL_SECONDS} to ${MAX_INTERVAL_SECONDS}`);
    }
    if (!Array.isArray(g.values)) throw new InputError(`group ${g.id}: values`, g.values, 'a list is expected');
    const valueIds = new Set<string>();
    for (const v of g.values) {
      checkId(`group ${g.id}: value id`, v?.id, valueIds);
      if (typeof v.enabled !== 'boolean') throw new InputError(`value ${v.id}: Enable`, v.enabled, 'on or off (true or false)');
      if (typeof v.deviceId !== 'string') throw new InputError(`value ${v.id}: Physical device`, v.deviceId, 'the id of a physical device is expected');
    }
  }
}

function checkId(field: string, id: unknown, seen: Set<string>): asserts id is string {
  if (typeof id !== 'string' || id === '') throw new InputError(field, id, 'a non-empty text is expected');
  if (seen.has(id)) throw new InputError(field, id, 'it is used twice; each must be unique');
  seen.add(id);
}
