/** The configuration's secrets: every physical device's password and its three keys. */
import type { AppConfig, PhysicalDevice } from '../../../core/app/schema.js';

export const SECRET_DEVICE_FIELDS = ['password', 'authenticationKey', 'blockCipherKey', 'dedicatedKey'] as const satisfies readonly (keyof PhysicalDevice)[];

/**
 * A copy of the configuration with each secret text replaced by `f(text, path)`; the rest is shared.
 * Works on unchecked data too (a file being loaded): anything that is not a text is left as it is.
 */
export function mapSecrets(config: AppConfig, f: (text: string, path: string) => string): AppConfig {
  const devices: unknown = (config as { devices?: unknown }).devices;
  if (!Array.isArray(devices)) return config;
  return {
    ...config,
    devices: devices.map((device: unknown, i) => {
      if (typeof device !== 'object' || device === null) return device;
      const copy: Record<string, unknown> = { ...(device as Record<string, unknown>) };
      for (const field of SECRET_DEVICE_FIELDS) {
        const value = copy[field];
        if (typeof value === 'string') copy[field] = f(value, `devices[${i}].${field}`);
      }
      return copy;
    }) as PhysicalDevice[],
  };
}
