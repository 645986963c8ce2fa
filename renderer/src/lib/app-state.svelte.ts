/**
 * What every view reads: the configuration, the app's info, the items' status and the detected
 * serial ports, loaded once and kept fresh from the backend's pushed events. Drafts made by "Add"
 * wait here until their editor takes them (they become items only when saved).
 */
import type { AppConfig } from '../../../core/app/api/contract.js';
import type { AppInfo, SerialPortView, StatusSnapshot } from '../../../core/app/api/types.js';
import { getContext } from 'svelte';
import { apiContext, type ApiClient } from './api.js';
import { errorText } from './error-text.js';
import type { ItemList, ItemOf } from './items/kinds.js';

/** A value the meter page's "Add to group" hands to a group's page, which adds it as a new row. */
export interface OfferedValue {
  readonly deviceId: string;
  readonly obis: string;
  readonly classId: number;
  /** The object's standard name, '' when it has none. */
  readonly name: string;
}

const EMPTY_STATUS: StatusSnapshot = { polling: false, connections: {}, devices: {}, groups: {} };

export class AppState {
  config: AppConfig | null = $state.raw(null);
  info: AppInfo | null = $state.raw(null);
  status: StatusSnapshot = $state.raw(EMPTY_STATUS);
  ports: readonly SerialPortView[] = $state.raw([]);
  /** Browser mode: false while the socket to the server is down. */
  connected = $state(true);
  /** The backend has answered at least once (a socket still opening is not a lost one). */
  everConnected = $state(false);
  loadError: string | null = $state(null);

  readonly api: ApiClient;
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a hand-over: the page reads it once and its form copies it on mount
  private readonly drafts = new Map<string, ItemOf<ItemList>>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- taken once by the group's page when it opens
  private readonly offered = new Map<string, OfferedValue>();

  constructor(api: ApiClient) {
    this.api = api;
    this.connected = api.connected();
    this.everConnected = this.connected;
    // Kept for the client's lifetime: one AppState per client (appContext), listening as long as it does.
    api.on('config', (c) => {
      this.config = c;
      // The demo notice follows the configuration (demo.add / demo.remove change both).
      void this.refreshInfo();
    });
    api.on('status', (s) => (this.status = s));
    api.on('ports', (p) => (this.ports = p));
    api.onConnection((c) => {
      const wasDown = !this.connected;
      this.connected = c;
      if (c) this.everConnected = true;
      // Whatever changed while the socket was down (another tab, the poller) is fetched afresh.
      if (c && wasDown) void this.load();
    });
  }

  async load(): Promise<void> {
    try {
      const [config, info, status] = await Promise.all([this.api.call('config.get'), this.api.call('app.info'), this.api.call('status.get')]);
      this.config = config;
      this.info = info;
      this.status = status;
      this.loadError = null;
    } catch (e) {
      this.loadError = errorText(e);
    }
    try {
      this.ports = await this.api.call('ports.list');
    } catch {
      // No serial support (or none allowed): the editor still takes a typed path.
    }
  }

  async refreshInfo(): Promise<void> {
    try {
      this.info = await this.api.call('app.info');
    } catch {
      // Keep the last known info; the connection banner tells the rest.
    }
  }

  /** After a call that answers with the new configuration. */
  setConfig(config: AppConfig): void {
    this.config = config;
  }

  putDraft<L extends ItemList>(list: L, item: ItemOf<L>): void {
    this.drafts.set(`${list}:${item.id}`, item);
  }

  /** The unsaved draft "Add" made for this page, if any (kept until saved or cancelled). */
  draft<L extends ItemList>(list: L, id: string): ItemOf<L> | undefined {
    return this.drafts.get(`${list}:${id}`) as ItemOf<L> | undefined;
  }

  dropDraft(list: ItemList, id: string): void {
    this.drafts.delete(`${list}:${id}`);
  }

  /** Hand a value to the group's page; it is added when that page opens (once). */
  offerValue(groupId: string, value: OfferedValue): void {
    this.offered.set(groupId, value);
  }

  takeOfferedValue(groupId: string): OfferedValue | undefined {
    const value = this.offered.get(groupId);
    this.offered.delete(groupId);
    return value;
  }
}

const APP_STATE_CONTEXT = Symbol('cosem-studio app state');

/**
 * The Svelte context of a page (main.ts) or of a test's component: the API client and one AppState
 * over it, whose load has begun. Pass it as mount's `context`.
 */
export function appContext(api: ApiClient): Map<unknown, unknown> {
  const state = new AppState(api);
  void state.load();
  const context = apiContext(api);
  context.set(APP_STATE_CONTEXT, state);
  return context;
}

/** The AppState of the component being set up (call it at a component's top level). */
export function getAppState(): AppState {
  const state = getContext<AppState | undefined>(APP_STATE_CONTEXT);
  if (state === undefined) throw new Error('No AppState in the Svelte context: mount the component with appContext(client)');
  return state;
}
