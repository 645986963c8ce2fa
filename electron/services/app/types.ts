/**
 * The app's backend as the hosts see it: Electron main and the browser-mode server both build one
 * with createAppBackend and carry its calls and events over their own channel.
 */
import type { ApiHandlers } from '../../../core/app/api/contract.js';
import type { EventHub } from '../../../core/app/api/rpc.js';
import type { AppConfig } from '../../../core/app/schema.js';

/** What the settings store keeps; secrets are encrypted inside the store, plain here. */
export interface StoredState {
  readonly config: AppConfig;
  /** The demo's items (ids) while installed; null once removed or never added. */
  readonly demo: { readonly connectionId: string; readonly deviceId: string; readonly groupId: string; readonly meterPort: number | null } | null;
  /** Set once the first run has offered the demo, so removing it is final. */
  readonly firstRunDone: boolean;
}

/** electron-store in the app, conf in tests and in browser mode: same file format, same migrations. */
export interface AppStateStore {
  /** The saved state; a new store gives an empty configuration and firstRunDone false. */
  load(): StoredState;
  save(state: StoredState): void;
  /** The file it lives in (for the About line and the README). */
  readonly path: string;
}

/** Where an export goes: a path to write (atomically) and, in browser mode, the URL that downloads it. */
export interface SaveTarget {
  readonly path: string;
  readonly downloadUrl: string | null;
}

/** The kinds of file the app saves. */
export type SaveKind = 'csv' | 'json' | 'txt' | 'html' | 'pdf';

export interface AppBackendOptions {
  readonly mode: 'electron' | 'web';
  readonly version: string;
  /** Readings database, invocation counters, installation.json. */
  readonly dataDir: string;
  readonly store: AppStateStore;
  /** Electron: the save dialog (null = cancelled). Browser mode: a temp file served once. */
  readonly saveTarget: (suggestedName: string, kind: SaveKind) => Promise<SaveTarget | null>;
  /**
   * Print a report's HTML to a PDF file: Electron's printToPDF in the desktop app. Absent (browser mode,
   * tests): a headless Chromium, where one is installed.
   */
  readonly printToPdf?: (html: string, file: string) => Promise<void>;
  /** Run DLMS sessions in the engine worker (default true); tests may run them in-process. */
  readonly useEngine?: boolean;
  /** Watch for serial ports coming and going (default true). */
  readonly watchPorts?: boolean;
  /** Offer the demo on first run (default true). */
  readonly demoOnFirstRun?: boolean;
}

export interface AppBackend {
  readonly handlers: ApiHandlers;
  readonly events: EventHub;
  /** Open the database, start polling if the global switch is on, install the demo on first run. */
  start(): Promise<void>;
  /** Stop polling, close links, the database and the demo meter. */
  close(): Promise<void>;
}
