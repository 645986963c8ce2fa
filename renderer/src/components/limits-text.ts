import { LIMITS } from '../../../core/app/limits.js';

/** Why "Add" is disabled, in the spec's terms. */
export const LIMIT_REASONS = Object.freeze({
  connections: `${LIMITS.connections} connections is the most a configuration can hold`,
  devices: `${LIMITS.devices} physical devices is the most a configuration can hold`,
  groups: `${LIMITS.groups} cosem groups is the most a configuration can hold`,
  values: `${LIMITS.valuesPerGroup} cosem values is the most a group can hold`,
});
