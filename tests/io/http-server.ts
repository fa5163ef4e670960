/**
 * A small real HTTP server on loopback for the remote-reading unit tests: serves files from memory
 * with ranges, ETag / Last-Modified and an index page, and can misbehave on demand (503s, cut bodies,
 * silence, ignored ranges). Every request is logged.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedFile {
  bytes: Uint8Array;
  etag?: string;
  mtime?: Date;
}

export interface Fault {
  /** answer this status instead (n times, then behave) */
  status?: number;
  /** send the headers and half the body, then destroy the socket */
  cut?: boolean;
  /** never answer */
  silent?: boolean;
  /** delay before answering, ms */
  delayMs?: number;
}

export interface TestServer {
  url: string;
  files: Map<string, ServedFile>;
  log: { method: string; path: string; range?: string; ifMatch?: string }[];
  /** faults consumed one per matching request (path → queue) */
  faults: Map<string, Fault[]>;
  options: { ranges: boolean; index: 'json' | 'html' | 'none'; maxActive: number; active: number };
  close(): Promise<void>;
}

export async function startServer(files: Record<string, Uint8Array | string> = {}): Promise<TestServer> {
  const map = new Map<string, ServedFile>();
  const t = new Date('2026-12-01T10:00:00Z');
  let n = 0;
  for (const [p, b] of Object.entries(files)) map.set(p, { bytes: typeof b === 'string' ? new TextEncoder().encode(b) : b, etag: `"v1-${n++}"`, mtime: t });
  const srv: TestServer = {
    url: '',
    files: map,
    log: [],
    faults: new Map(),
    options: { ranges: true, index: 'json', maxActive: 0, active: 0 },
    close: async () => undefined,
  };
  const server: Server = createServer((req, res) => void handle(srv, req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  srv.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  srv.close = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return srv;
}

async function handle(srv: TestServer, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
  srv.log.push({ method: req.method ?? 'GET', path, range: req.headers.range as string | undefined, ifMatch: req.headers['if-match'] as string | undefined });
  srv.options.active++;
  srv.options.maxActive = Math.max(srv.options.maxActive, srv.options.active);
  res.on('close', () => srv.options.active--);
  const fault = srv.faults.get(path)?.shift();
  if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
  if (fault?.silent) return; // the client's timeout has to end it
  if (fault?.status) {
    res.statusCode = fault.status;
    return void res.end('fault');
  }
  const f = srv.files.get(path) ?? (path.endsWith('/') ? srv.files.get(path + 'index.html') : undefined);
  if (!f) {
    if (path.endsWith('/') && srv.options.index !== 'none') return index(srv, path, res);
    if ([...srv.files.keys()].some((k) => k.startsWith(path + '/'))) {
      res.statusCode = 301;
      res.setHeader('Location', path + '/');
      return void res.end();
    }
    res.statusCode = 404;
    return void res.end('not found');
  }
  if (f.etag) res.setHeader('ETag', f.etag);
  if (f.mtime) res.setHeader('Last-Modified', f.mtime.toUTCString());
  if (srv.options.ranges) res.setHeader('Accept-Ranges', 'bytes');
  const size = f.bytes.length;
  if (req.headers['if-match'] && f.etag && req.headers['if-match'] !== f.etag) {
    res.statusCode = 412;
    return void res.end();
  }
  let body = f.bytes;
  const m = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
  if (m && srv.options.ranges) {
    const s = Number(m[1]);
    const e = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
    if (s >= size) {
      res.statusCode = 416;
      res.setHeader('Content-Range', `bytes */${size}`);
      return void res.end();
    }
    res.statusCode = 206;
    res.setHeader('Content-Range', `bytes ${s}-${e}/${size}`);
    body = f.bytes.subarray(s, e + 1);
  }
  res.setHeader('Content-Length', String(body.length));
  if (req.method === 'HEAD') return void res.end();
  if (fault?.cut) {
    res.flushHeaders();
    res.write(body.subarray(0, body.length >> 1), () => setTimeout(() => res.socket?.destroy(), 5));
    return;
  }
  res.end(body);
}

function index(srv: TestServer, dir: string, res: ServerResponse): void {
  const kids = new Map<string, { dir: boolean; size: number; mtime?: Date }>();
  for (const [p, f] of srv.files) {
    if (!p.startsWith(dir)) continue;
    const rest = p.slice(dir.length);
    const i = rest.indexOf('/');
    if (i < 0) kids.set(rest, { dir: false, size: f.bytes.length, mtime: f.mtime });
    else kids.set(rest.slice(0, i), { dir: true, size: 0 });
  }
  if (!kids.size && dir !== '/') {
    res.statusCode = 404;
    return void res.end('no such folder');
  }
  if (srv.options.index === 'json') {
    res.setHeader('Content-Type', 'application/json');
    const list = [...kids].map(([name, k]) =>
      k.dir ? { name, type: 'directory', mtime: 'Tue, 01 Dec 2026 10:00:00 GMT' } : { name, type: 'file', mtime: k.mtime?.toUTCString(), size: k.size },
    );
    return void res.end(JSON.stringify(list));
  }
  res.setHeader('Content-Type', 'text/html');
  const rows = [...kids].map(([name, k]) => {
    const href = encodeURIComponent(name) + (k.dir ? '/' : '');
    const shown = name + (k.dir ? '/' : '');
    // nginx's layout: the link, padding, the date, the exact size (or '-')
    return `<a href="${href}">${shown}</a>${' '.repeat(Math.max(1, 51 - shown.length))}01-Dec-2026 10:00 ${(k.dir ? '-' : String(k.size)).padStart(19)}`;
  });
  res.end(
    `<html>\r\n<head><title>Index of ${dir}</title></head>\r\n<body>\r\n<h1>Index of ${dir}</h1><hr><pre><a href="../">../</a>\r\n${rows.join('\r\n')}\r\n</pre><hr></body>\r\n</html>\r\n`,
  );
}

/** Deterministic bytes: byte i = (i * 31 + seed) & 255. */
export function pattern(n: number, seed = 0): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 255;
  return b;
}
