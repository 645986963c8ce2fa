/**
 * Import configuration: it reads what Export wrote. Export leaves passwords and keys out unless
 * asked, so a secret a device of the file leaves empty is taken from what the person typed for that
 * device, else from the stored device with the same ID, else from the one with the same name; the
 * file as a whole is then checked, and each problem names its item by name.
 */
import { parseConfig, configFileData } from './validate.js';
import { isRecord } from './path.js';
import type { AppConfig, PhysicalDevice } from './schema.js';

export const SECRET_FIELDS = ['password', 'authenticationKey', 'blockCipherKey', 'dedicatedKey'] as const;
export type SecretField = (typeof SECRET_FIELDS)[number];

/** Secrets typed for the devices of a file being imported, by the device's ID in the file. */
export type ImportSecrets = Readonly<Record<string, Readonly<Partial<Record<SecretField, string>>>>>;

function storedMatch(stored: readonly PhysicalDevice[], device: Record<string, unknown>): PhysicalDevice | undefined {
  const byId = stored.find((d) => d.id === device.id);
  if (byId !== undefined) return byId;
  const name = typeof device.name === 'string' ? device.name.trim().toLowerCase() : '';
  return name === '' ? undefined : stored.find((d) => d.name.toLowerCase() === name);
}

/** The file's devices with their empty secrets filled where a secret is known. */
function withKnownSecrets(data: unknown, stored: AppConfig, given: ImportSecrets): unknown {
  if (!isRecord(data) || !Array.isArray(data.devices)) return data;
  const devices = data.devices.map((device: unknown) => {
    if (!isRecord(device)) return device;
    const typed = typeof device.id === 'string' ? given[device.id] : undefined;
    const match = storedMatch(stored.devices, device);
    const filled: Record<string, unknown> = { ...device };
    for (const field of SECRET_FIELDS) {
      if (device[field] !== undefined && device[field] !== '') continue;
      const secret = typed?.[field] || match?.[field] || '';
      if (secret !== '') filled[field] = secret;
    }
    return filled;
  });
  return { ...data, devices };
}

/** The configuration a file gives; ConfigError, naming items by name, when it has a problem. */
export function importConfigJson(text: string, stored: AppConfig, given: ImportSecrets = {}): AppConfig {
  return parseConfig(withKnownSecrets(configFileData(text), stored, given), { itemNames: true });
}
