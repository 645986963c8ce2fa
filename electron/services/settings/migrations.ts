/**
 * The settings file's versions. Each step takes the file's data of one version to the next; the
 * file records its version as `schemaVersion` (an integer, bumped only when the layout changes).
 *
 *  0: a bare configuration (`{"version": 1, "connections": ...}`, as `config.export` and the CLI
 *     write it) put in place as settings.json by hand; its secrets are in clear.
 *  1: `{schemaVersion, config, demo, firstRunDone}` with the secrets sealed.
 *
 * A field added as optional needs no step: a physical device's `passwordHex` (the Password given as
 * hexadecimal) is absent in older files and reads as off, and it is no secret, so nothing is sealed.
 * The same holds for a device's `allowChanges` (absent: off, so older files change no meter) and the
 * settings' `clockDriftThresholdS` (absent: the default, 10 s).
 */
import type { AppConfig } from '../../../core/app/schema.js';
import { mapSecrets } from './secret-fields.js';

export const SETTINGS_SCHEMA_VERSION = 1;

export interface MigrationContext {
  /** Seal a secret that an older version kept in clear. */
  readonly seal: (plain: string) => string;
}

export interface SettingsMigration {
  readonly from: number;
  readonly why: string;
  readonly migrate: (data: Record<string, unknown>, ctx: MigrationContext) => Record<string, unknown>;
}

export const SETTINGS_MIGRATIONS: readonly SettingsMigration[] = [
  {
    from: 0,
    why: 'a bare configuration becomes the settings layout; its secrets are sealed',
    migrate: (data, ctx) => ({
      schemaVersion: 1,
      config: mapSecrets(data as unknown as AppConfig, (plain) => (plain === '' ? '' : ctx.seal(plain))),
      demo: null,
      // Someone who placed a configuration by hand has no use for the demo.
      firstRunDone: true,
    }),
  },
];

export type MigrationResult =
  { readonly ok: true; readonly from: number; readonly data: Record<string, unknown> } | { readonly ok: false; readonly reason: string };

export function migrateSettings(raw: Record<string, unknown>, ctx: MigrationContext): MigrationResult {
  const declared = raw['schemaVersion'];
  const from = declared === undefined ? 0 : declared;
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 0) {
    return { ok: false, reason: `its schemaVersion ${JSON.stringify(declared)} is not a version this app knows` };
  }
  if (from > SETTINGS_SCHEMA_VERSION) {
    return { ok: false, reason: `it was written by a newer Cosem Studio (schema version ${from}; this one reads up to ${SETTINGS_SCHEMA_VERSION})` };
  }
  let data = raw;
  for (let v = from; v < SETTINGS_SCHEMA_VERSION; v++) {
    const step = SETTINGS_MIGRATIONS.find((m) => m.from === v);
    if (step === undefined) return { ok: false, reason: `no migration from schema version ${v}` };
    data = step.migrate(data, ctx);
  }
  return { ok: true, from, data };
}
