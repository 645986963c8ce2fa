/**
 * The attribute a COSEM value reads when it does not say: the one that holds the object's own data.
 * That is attribute 2 in every class of the spec's list (value, buffer, time, object_list, ...),
 * except where attribute 2 only names another object by its logical name:
 *
 * | class | attribute 2 | default instead |
 * | --- | --- | --- |
 * | IP4 SETUP (42) | DL_reference | 3 IP_address |
 * | IP6 SETUP (48) | DL_reference | 3 address_config_mode |
 * | LIMITER (71) | monitored_value | 3 threshold_active |
 */
import { DEFAULT_ATTRIBUTE } from './limits.js';

const REFERENCE_FIRST: ReadonlyMap<number, number> = new Map([
  [42, 3],
  [48, 3],
  [71, 3],
]);

export function defaultAttribute(classId: number): number {
  return REFERENCE_FIRST.get(classId) ?? DEFAULT_ATTRIBUTE;
}
