/**
 * The API over Electron IPC: one invoke channel for calls, one push channel for events. Only the app's
 * own page may call (a frame of another origin, say a page that got loaded by mistake, is refused),
 * and every argument is checked against the contract by `dispatch` before a handler sees it.
 */
import type { IpcMainInvokeEvent } from 'electron';
import { createPeer, dispatch, IPC_CALL_CHANNEL as CALL_CHANNEL, IPC_EVENT_CHANNEL as EVENT_CHANNEL } from '../../core/app/api/rpc.js';
import { BROADCAST_EVENT_NAMES, type ApiError, type ApiPeer } from '../../core/app/api/types.js';
import type { AppBackend } from '../services/app/types.js';
import { isAppUrl } from './window.js';

/** What of a WebFrameMain the check reads. */
export interface FrameLike {
  readonly url: string;
  readonly top?: FrameLike | null;
}

/** The app's page is the top frame of an app:// document; anything else is not ours. */
export function isOwnFrame(frame: FrameLike | null | undefined): boolean {
  if (frame === null || frame === undefined) return false;
  const top = frame.top ?? frame;
  return isAppUrl(frame.url) && isAppUrl(top.url);
}

/** What of a WebContents the window's ApiPeer needs: where to send, and when its page goes away. */
export interface PeerSender {
  readonly id: number;
  send(channel: string, message: unknown): void;
  isDestroyed(): boolean;
  /** 'destroyed' (window closed), 'did-navigate' (reloaded: a new page), 'render-process-gone'. */
  once(event: PageEnd, listener: () => void): unknown;
  removeListener(event: PageEnd, listener: () => void): unknown;
}

type PageEnd = 'destroyed' | 'did-navigate' | 'render-process-gone';
const PAGE_ENDS: readonly PageEnd[] = ['destroyed', 'did-navigate', 'render-process-gone'];

export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: Pick<IpcMainInvokeEvent, 'senderFrame'> & { readonly sender?: PeerSender }, ...args: unknown[]) => Promise<unknown>,
  ): void;
  removeHandler(channel: string): void;
}

export interface EventReceiver {
  readonly webContents: { send(channel: string, message: unknown): void; isDestroyed(): boolean };
  isDestroyed(): boolean;
}

export const FOREIGN_SENDER: ApiError = {
  name: 'AccessError',
  code: 'foreign-sender',
  message: "only Cosem Studio's own window may call its API",
};

/**
 * Handle calls and forward the backend's broadcast events to `windows()` (BrowserWindow.getAllWindows
 * in the app); a call's window is its ApiPeer, which gets the events it subscribed to (a trace) alone.
 * Returns the function that undoes both.
 */
export function registerApi(
  ipcMain: IpcMainLike,
  backend: Pick<AppBackend, 'handlers' | 'events'>,
  isOwn: (frame: FrameLike | null | undefined) => boolean,
  windows: () => readonly EventReceiver[],
  log: (line: string) => void = (line) => console.warn(line),
): () => void {
  ipcMain.handle(CALL_CHANNEL, async (event, method, arg) => {
    const frame = event.senderFrame as FrameLike | null | undefined;
    if (!isOwn(frame)) {
      let origin = 'unknown';
      try {
        origin = frame === null || frame === undefined ? 'a closed frame' : new URL(frame.url).protocol + '//' + new URL(frame.url).host;
      } catch {
        // keep 'unknown'
      }
      log(`IPC: refused a call from outside the app (${origin}).`);
      return { ok: false, error: FOREIGN_SENDER };
    }
    return dispatch(backend.handlers, method, arg, event.sender === undefined ? undefined : peerOf(event.sender));
  });

  // One peer per page of a window: what it subscribed to ends when the window closes or reloads.
  const peers = new Map<PeerSender, { readonly peer: ApiPeer; gone(): void }>();
  let nextPeer = 1;
  const peerOf = (sender: PeerSender): ApiPeer => {
    const known = peers.get(sender);
    if (known !== undefined) return known.peer;
    const made = createPeer(`window-${sender.id}-${nextPeer++}`, (message) => {
      if (!sender.isDestroyed()) sender.send(EVENT_CHANNEL, message);
    });
    peers.set(sender, made);
    const end = (): void => {
      for (const e of PAGE_ENDS) sender.removeListener(e, end);
      if (peers.get(sender) !== made) return;
      peers.delete(sender);
      made.gone();
    };
    for (const e of PAGE_ENDS) sender.once(e, end);
    return made.peer;
  };

  const unsubscribe = BROADCAST_EVENT_NAMES.map((name) =>
    backend.events.on(name, (payload) => {
      const message = { type: 'event', event: name, payload };
      for (const w of windows()) {
        if (w.isDestroyed() || w.webContents.isDestroyed()) continue;
        w.webContents.send(EVENT_CHANNEL, message);
      }
    }),
  );

  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    for (const u of unsubscribe) u();
    for (const p of [...peers.values()]) p.gone();
    peers.clear();
  };
}
