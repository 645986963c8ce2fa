/**
 * The app's settings file (`settings.json` in the data folder) over conf, or over electron-store in
 * the app (same class API, same file): the configuration, the demo's ids and the first-run flag,
 * with every password and key sealed by a SecretBox. A file that cannot be used is kept aside as
 * `settings.broken-<time>.json` and the app starts empty, saying so in one log line; it never crashes
 * on its own settings.
 *
 * Migrations are ours, keyed by the file's integer `schemaVersion` (see migrations.ts), not conf's,
 * which are keyed by the app's semver and would run again on every release.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { emptyConfig } from '../../../core/app/new-items.js';
import type { AppConfig } from '../../../core/app/schema.js';
import { ConfigError, parseConfig } from '../../../core/app/validate.js';
import type { AppStateStore, StoredState } from '../app/types.js';
import { migrateSettings, SETTINGS_SCHEMA_VERSION } from './migrations.js';
import { mapSecrets } from './secret-fields.js';
import type { SecretBox } from './secret-box.js';

/** What this module needs of conf / electron-store: the whole store as one object, and its file. */
export interface ConfLike {
  store: Record<string, unknown>;
  readonly path: string;
}

/** The options given to the store class; conf reads `configName`, electron-store `name`. */
export interface ConfLikeOptions {
  readonly cwd: string;
  readonly configName: string;
  readonly name: string;
  readonly fileExtension: 'json';
  readonly accessPropertiesByDotNotation: false;
  readonly clearInvalidConfig: false;
  readonly configFileMode: number;
  readonly watch: false;
  readonly serialize: (value: Record<string, unknown>) => string;
}

export type ConfLikeClass = new (options: ConfLikeOptions) => ConfLike;

export interface OpenConfStoreOptions {
  /** The data folder. */
  readonly cwd: string;
  readonly secretBox: SecretBox;
  /** conf's default export, or electron-store's. */
  readonly Store: ConfLikeClass;
  /** One line per event worth knowing (a file kept aside, a migration); never a secret. */
  readonly log?: (line: string) => void;
  readonly now?: () => number;
}

export const SETTINGS_NAME = 'settings';

/** The file as written: the configuration with its secrets sealed. */
interface SettingsFile {
  readonly schemaVersion: number;
  readonly config: AppConfig;
  readonly demo: StoredState['demo'];
  readonly firstRunDone: boolean;
}

function emptyState(): StoredState {
  return { config: emptyConfig(), demo: null, firstRunDone: false };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A JSON.parse message without the text around the mistake (which may be a password). */
function jsonProblem(e: unknown): string {
  const where = e instanceof Error ? /line \d+ column \d+|position \d+/.exec(e.message)?.[0] : undefined;
  return `it is not valid JSON${where === undefined ? '' : ` (the mistake is at ${where})`}`;
}

function demoOf(v: unknown): StoredState['demo'] {
  if (!isPlainObject(v)) return null;
  const { connectionId, deviceId, groupId, meterPort } = v;
  if (typeof connectionId !== 'string' || typeof deviceId !== 'string' || typeof groupId !== 'string') return null;
  const port = typeof meterPort === 'number' && Number.isInteger(meterPort) && meterPort > 0 && meterPort < 65536 ? meterPort : null;
  return { connectionId, deviceId, groupId, meterPort: port };
}

class Unusable extends Error {}

export function openConfStore(options: OpenConfStoreOptions): AppStateStore {
  const log = options.log ?? ((line: string) => console.warn(line));
  const now = options.now ?? Date.now;
  const file = join(options.cwd, `${SETTINGS_NAME}.json`);

  const keepAside = (reason: string): void => {
    const stamp = new Date(now()).toISOString().replace(/[:.]/g, '-');
    const aside = join(options.cwd, `${SETTINGS_NAME}.broken-${stamp}.json`);
    try {
      renameSync(file, aside);
      log(`Settings: ${file} could not be used (${reason}); it was kept as ${aside} and the app starts with an empty configuration.`);
    } catch (e) {
      log(`Settings: ${file} could not be used (${reason}) nor moved aside (${(e as Error).message}); the app starts with an empty configuration.`);
    }
  };

  // conf would throw on a malformed file, and rewrite a JSON that is not an object: look first.
  if (existsSync(file)) {
    let problem: string | null = null;
    try {
      const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (!isPlainObject(data)) problem = 'it does not hold a settings object';
    } catch (e) {
      problem = jsonProblem(e);
    }
    if (problem !== null) keepAside(problem);
  }

  const storeOptions: ConfLikeOptions = {
    cwd: options.cwd,
    configName: SETTINGS_NAME,
    name: SETTINGS_NAME,
    fileExtension: 'json',
    accessPropertiesByDotNotation: false,
    clearInvalidConfig: false,
    configFileMode: 0o600,
    watch: false,
    serialize: (value) => `${JSON.stringify(value, null, 2)}\n`,
  };
  let store: ConfLike;
  try {
    store = new options.Store(storeOptions);
  } catch (e) {
    keepAside(e instanceof SyntaxError ? jsonProblem(e) : (e as Error).message);
    store = new options.Store(storeOptions);
  }

  const seal = (config: AppConfig): AppConfig => mapSecrets(config, (plain) => (plain === '' ? '' : options.secretBox.encrypt(plain)));

  const write = (state: StoredState): void => {
    const data: SettingsFile = { schemaVersion: SETTINGS_SCHEMA_VERSION, config: seal(state.config), demo: state.demo, firstRunDone: state.firstRunDone };
    store.store = data as unknown as Record<string, unknown>;
  };

  const read = (): StoredState => {
    let raw: Record<string, unknown>;
    try {
      raw = store.store;
    } catch (e) {
      keepAside(e instanceof SyntaxError ? jsonProblem(e) : 'it could not be read');
      return emptyState();
    }
    const keys = Object.keys(raw).filter((k) => k !== '__internal__');
    if (keys.length === 0) return emptyState();

    try {
      const migrated = migrateSettings(raw, { seal: (plain) => options.secretBox.encrypt(plain) });
      if (!migrated.ok) throw new Unusable(migrated.reason);
      const data = migrated.data;
      if (!isPlainObject(data['config'])) throw new Unusable('it has no configuration');

      // A secret that no longer opens (the keyring was reset, the key file lost) is dropped when the
      // configuration stays valid without it; the old file is kept aside either way.
      const unopened: string[] = [];
      const opened = mapSecrets(data['config'] as AppConfig, (stored, where) => {
        if (stored === '') return '';
        try {
          return options.secretBox.decrypt(stored);
        } catch {
          unopened.push(where);
          return '';
        }
      });
      let config: AppConfig;
      try {
        config = parseConfig(opened);
      } catch (e) {
        if (unopened.length === 0) throw e;
        throw new Unusable(`${unopened.length} secret(s) could not be unsealed (${unopened.join(', ')}) and the configuration is not valid without them`);
      }
      const state: StoredState = { config, demo: demoOf(data['demo']), firstRunDone: data['firstRunDone'] === true };

      if (unopened.length > 0) {
        keepAside(`${unopened.length} secret(s) could not be unsealed: ${unopened.join(', ')}; enter them again`);
        write(state);
      } else if (migrated.from !== SETTINGS_SCHEMA_VERSION) {
        log(`Settings: ${file} was updated from schema version ${migrated.from} to ${SETTINGS_SCHEMA_VERSION}.`);
        write(state);
      }
      return state;
    } catch (e) {
      const reason =
        e instanceof ConfigError
          ? `its configuration is not valid: ${e.message}`
          : e instanceof Unusable
            ? e.message
            : `it could not be read: ${(e as Error).message}`;
      keepAside(reason);
      return emptyState();
    }
  };

  return {
    path: store.path,
    load: read,
    save(state) {
      // Nothing invalid is saved, whoever calls.
      write({ ...state, config: parseConfig(state.config) });
    },
  };
}
