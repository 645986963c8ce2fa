/**
 * Browser mode: the renderer and the API over HTTP and a WebSocket, on 127.0.0.1 only, for whoever
 * holds the random token printed at start. Host and Origin are checked too, so a web page that
 * re-points its own name at 127.0.0.1 (DNS rebinding) cannot reach the API either.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { createPeer, dispatch, type EventMessage, type ReplyMessage } from '../../core/app/api/rpc.js';
import { BROADCAST_EVENT_NAMES, type ApiError, type ApiPeer } from '../../core/app/api/types.js';
import { SECURITY_HEADERS } from '../main/csp.js';
import { rendererFile } from '../main/renderer-files.js';
import type { AppBackend, AppBackendOptions } from '../services/app/types.js';
import { DownloadShelf } from './downloads.js';

export interface WebServerOptions {
  /** The built renderer (out/renderer). */
  readonly rendererDir: string;
  /** 0 (default): any free port. */
  readonly port?: number;
  /** Default: 32 random bytes as hex. */
  readonly token?: string;
  /** Build the backend once the port is known; the server starts it and closes it. */
  readonly createBackend: (ctx: { readonly saveTarget: AppBackendOptions['saveTarget'] }) => AppBackend | Promise<AppBackend>;
  /** After the backend started, before the server answers its first call (e.g. `--demo`). */
  readonly onReady?: (backend: AppBackend) => Promise<void>;
  readonly log?: (line: string) => void;
  /** Largest WebSocket message accepted (default 8 MiB: an imported configuration may be 4 M characters). */
  readonly maxMessageBytes?: number;
}

export interface WebServer {
  /** `http://127.0.0.1:PORT/?token=...` */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
/** A client that cannot keep up (megabytes of trace queued) is dropped; it reconnects and catches up. */
const MAX_QUEUED_BYTES = 32 * 1024 * 1024;

type TokenCheck = 'ok' | 'missing' | 'wrong';

/** `attachment` with an ASCII fallback name and the exact UTF-8 one (a device name may be "Zähler 3"). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return (
    `attachment; filename="${ascii}"; ` +
    `filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`
  );
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const token = options.token ?? randomBytes(32).toString('hex');
  const tokenDigest = digest(token);
  const checkToken = (given: string | null): TokenCheck => {
    if (given === null || given === '') return 'missing';
    // Compared as digests: equal length, constant time.
    return timingSafeEqual(digest(given), tokenDigest) ? 'ok' : 'wrong';
  };

  let port = 0;
  let backend: AppBackend | null = null;
  let ready = false;
  const shelf = new DownloadShelf((id) => `/download/${id}?token=${token}`);

  const hostOk = (host: string | undefined): boolean => host === `${HOST}:${port}` || host === `localhost:${port}`;
  const originOk = (origin: string | undefined): boolean =>
    // Browsers always send Origin on a WebSocket; other clients (tests, scripts) have only the token.
    origin === undefined || origin === `http://${HOST}:${port}` || origin === `http://localhost:${port}`;

  const plain = (res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra });
    res.end(`${text}\n`);
  };
  const refusal = (check: Exclude<TokenCheck, 'ok'>): [number, string] =>
    check === 'missing'
      ? [401, 'Open the address that `npm run web` printed: it carries the access token.']
      : [403, 'The access token is not valid for this server (it changes each time the server starts).'];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!hostOk(req.headers.host)) return plain(res, 403, 'This server answers only as 127.0.0.1 or localhost.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Only GET is served here.', { Allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    const check = checkToken(url.searchParams.get('token'));

    if (url.pathname === '/api') {
      if (check !== 'ok') return plain(res, ...refusal(check));
      return plain(res, 426, 'The API is a WebSocket.', { Upgrade: 'websocket' });
    }

    const download = /^\/download\/([0-9a-f]{36})$/.exec(url.pathname);
    if (download !== null || url.pathname.startsWith('/download/')) {
      if (check !== 'ok') return plain(res, ...refusal(check));
      // A HEAD must not use up the one download.
      if (req.method !== 'GET') return plain(res, 405, 'Downloads are fetched with GET.', { Allow: 'GET' });
      const d = download === null ? null : shelf.claim(download[1]!);
      if (d === null) return plain(res, 404, 'This download is not available (each export downloads once).');
      const stream = createReadStream(d.path);
      stream.once('error', () => {
        d.done();
        if (!res.headersSent) plain(res, 404, 'This download is not available (the export did not finish).');
        else res.destroy();
      });
      stream.once('open', () => {
        res.writeHead(200, {
          ...SECURITY_HEADERS,
          'Content-Type': d.contentType,
          'Content-Disposition': contentDisposition(d.fileName),
          'Cache-Control': 'no-store',
        });
        stream.pipe(res);
      });
      res.once('close', () => {
        stream.destroy();
        d.done();
      });
      return;
    }

    const found = await rendererFile(options.rendererDir, url.pathname);
    if (found.status !== 200) {
      if (url.pathname === '/' || url.pathname === '/index.html') {
        return plain(res, 503, 'The renderer is not built: run `npm run build:renderer` (or `npm run web`, which builds it).');
      }
      return plain(res, found.status, found.reason);
    }
    if (found.isIndex && check !== 'ok') return plain(res, ...refusal(check));
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': found.contentType,
      'Content-Length': String(found.body.length),
      // index.html names the current asset hashes: never cache it; assets are revalidated.
      'Cache-Control': found.isIndex ? 'no-store' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : found.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) plain(res, 500, 'The server could not answer this request.');
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? 8 * 1024 * 1024, perMessageDeflate: false });

  const rejectUpgrade = (socket: Duplex, status: number, reason: string, text: string): void => {
    const body = `${text}\n`;
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `\r\n${body}`,
    );
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    if (url.pathname !== '/api') return rejectUpgrade(socket, 404, 'Not Found', 'not found');
    if (!hostOk(req.headers.host) || !originOk(req.headers.origin)) {
      log('Browser mode: refused a WebSocket from another host or origin.');
      return rejectUpgrade(socket, 403, 'Forbidden', 'This API answers only pages of this server.');
    }
    const check = checkToken(url.searchParams.get('token'));
    if (check !== 'ok') {
      const [status, text] = refusal(check);
      return rejectUpgrade(socket, status, status === 401 ? 'Unauthorized' : 'Forbidden', text);
    }
    if (!ready) return rejectUpgrade(socket, 503, 'Service Unavailable', 'Cosem Studio is starting; try again.');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const send = (ws: WebSocket, message: ReplyMessage | EventMessage): void => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(JSON.stringify(message));
  };

  // Each socket is the ApiPeer of its calls: what it subscribed to (a trace) goes to it alone and ends with it.
  let nextPeer = 1;
  wss.on('connection', (ws: WebSocket) => {
    const { peer, gone } = createPeer(`socket-${nextPeer++}`, (message) => sendEvent(ws, message));
    ws.on('error', () => ws.terminate());
    ws.once('close', gone);
    ws.on('message', (data: RawData, isBinary: boolean) => {
      void answer(ws, peer, data, isBinary);
    });
  });

  const invalid = (message: string): ApiError => ({ name: 'InputError', code: 'invalid-message', message });

  const answer = async (ws: WebSocket, peer: ApiPeer, data: RawData, isBinary: boolean): Promise<void> => {
    if (isBinary) return;
    let m: unknown;
    try {
      m = JSON.parse(data.toString());
    } catch {
      return;
    }
    if (typeof m !== 'object' || m === null) return;
    const call = m as { type?: unknown; id?: unknown; method?: unknown; arg?: unknown };
    if (typeof call.id !== 'number' || !Number.isSafeInteger(call.id)) return;
    if (call.type !== 'call') {
      send(ws, { type: 'reply', id: call.id, ok: false, error: invalid('a message must be a call ({"type": "call", "id", "method", "arg"})') });
      return;
    }
    const b = backend;
    if (b === null) return;
    const reply = await dispatch(b.handlers, call.method, call.arg, peer);
    send(ws, reply.ok ? { type: 'reply', id: call.id, ok: true, result: reply.result } : { type: 'reply', id: call.id, ok: false, error: reply.error });
  };

  /** Send an event's text; a client that cannot keep up is dropped (it reconnects and catches up). */
  const deliver = (ws: WebSocket, text: string): void => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_QUEUED_BYTES) {
      ws.terminate();
      return;
    }
    ws.send(text);
  };
  const sendEvent = (ws: WebSocket, message: EventMessage): void => deliver(ws, JSON.stringify(message));
  const broadcast = (message: EventMessage): void => {
    const text = JSON.stringify(message);
    for (const ws of wss.clients) deliver(ws, text);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  const unsubscribe: (() => void)[] = [];
  const stopServer = async (): Promise<void> => {
    for (const u of unsubscribe.splice(0)) u();
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  try {
    backend = await options.createBackend({ saveTarget: shelf.saveTarget });
    for (const event of BROADCAST_EVENT_NAMES) unsubscribe.push(backend.events.on(event, (payload) => broadcast({ type: 'event', event, payload })));
    await backend.start();
    await options.onReady?.(backend);
  } catch (e) {
    await stopServer();
    await backend?.close().catch(() => {});
    shelf.close();
    throw e;
  }
  ready = true;

  let closing: Promise<void> | null = null;
  return {
    url: `http://${HOST}:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      (closing ??= (async () => {
        ready = false;
        await stopServer();
        try {
          await backend?.close();
        } finally {
          shelf.close();
        }
      })()),
  };
}
