/**
 * A fault-injecting HTTP proxy between the browser and nginx (a small Node server in the test
 * process): forwards every request unchanged, except where a rule says to answer with a status, to
 * stay silent, to wait first, or to cut the connection in the middle of the body. Answers it makes up
 * itself carry CORS headers, so the browser sees them as the server's words, not as a CORS refusal.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface FaultRule {
  /** the request path contains this */
  path: string;
  kind: 'status' | 'silent' | 'delay' | 'cut';
  /** how many matching requests it applies to (Infinity: all) */
  times: number;
  status?: number;
  delayMs?: number;
}

export interface FaultProxy {
  url: string;
  rules: FaultRule[];
  log: { method: string; path: string; range: string; fault?: FaultRule['kind'] }[];
  stop(): Promise<void>;
}

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'ETag, Content-Range, Content-Length, Accept-Ranges, Last-Modified',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

export async function startFaultProxy(upstream: string, port: number): Promise<FaultProxy> {
  const up = new URL(upstream);
  const proxy: FaultProxy = { url: `http://127.0.0.1:${port}`, rules: [], log: [], stop: async () => undefined };
  const take = (path: string): FaultRule | undefined => {
    const r = proxy.rules.find((x) => x.times > 0 && path.includes(x.path));
    if (r) r.times--;
    return r;
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    const rule = req.method === 'OPTIONS' ? undefined : take(path);
    proxy.log.push({ method: req.method ?? 'GET', path, range: String(req.headers.range ?? ''), ...(rule ? { fault: rule.kind } : {}) });
    if (rule?.kind === 'silent') return; // the client's timeout must end this
    if (rule?.kind === 'status') {
      res.writeHead(rule.status ?? 503, { ...CORS, 'Content-Type': 'text/plain', 'Retry-After': '0' });
      return void res.end('injected fault');
    }
    const forward = () => {
      const headers = { ...req.headers, host: up.host };
      const u = request({ host: up.hostname, port: up.port, method: req.method, path, headers }, (ur) => {
        res.writeHead(ur.statusCode ?? 502, ur.headers);
        if (rule?.kind !== 'cut') return void ur.pipe(res);
        const len = Number(ur.headers['content-length'] ?? 0);
        let sent = 0;
        ur.on('data', (chunk: Buffer) => {
          const room = Math.max(0, (len >> 1) - sent);
          if (room > 0) res.write(chunk.subarray(0, room));
          sent += chunk.length;
          if (sent >= len >> 1) {
            ur.destroy();
            setTimeout(() => res.socket?.destroy(), 5);
          }
        });
      });
      u.on('error', () => res.socket?.destroy());
      req.pipe(u);
    };
    if (rule?.kind === 'delay') setTimeout(forward, rule.delayMs ?? 1000);
    else forward();
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  proxy.stop = () =>
    new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return proxy;
}
