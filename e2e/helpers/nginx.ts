/**
 * A real nginx (Debian's package) for the remote-data browser tests and the bench: started on a
 * loopback port with a config written here, in a temporary prefix directory, in the foreground as a
 * child of the test process (so it ends with it); `stop()` ends it and removes the prefix.
 *
 * Locations: `/` serves `root` with `autoindex_format json` and CORS; `/html/` the same as HTML
 * index pages; `/nocors/` the same without any CORS header (a refusal the browser must report);
 * `/scratch/` a writable temp folder (files a test replaces while they are open).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'node:net';

export interface Nginx {
  /** http://127.0.0.1:PORT (no trailing slash) */
  url: string;
  port: number;
  /** a writable folder served at /scratch/ */
  scratch: string;
  /** access-log lines so far: `METHOD path range status bytes` */
  accessLog(): { method: string; path: string; range: string; status: number; bytes: number }[];
  stop(): Promise<void>;
}

export function nginxBinary(): string | null {
  for (const p of [process.env.NGINX_PATH, '/usr/sbin/nginx', '/usr/bin/nginx']) if (p && existsSync(p)) return p;
  const w = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' });
  return w.status === 0 && w.stdout.trim() ? w.stdout.trim() : null;
}

export const NGINX_MISSING = 'nginx not installed (apt-get install nginx, or run .ci/run): remote-data browser tests skipped';

const cors = `
      add_header Access-Control-Allow-Origin "*" always;
      add_header Access-Control-Allow-Headers "Range, If-Match" always;
      add_header Access-Control-Expose-Headers "ETag, Content-Range, Content-Length, Accept-Ranges, Last-Modified" always;
      add_header Cross-Origin-Resource-Policy "cross-origin" always;
      if ($request_method = OPTIONS) { return 204; }`;

export function nginxConfig(o: { prefix: string; port: number; root: string; scratch: string }): string {
  const root = o.root.endsWith('/') ? o.root : o.root + '/';
  const scratch = o.scratch.endsWith('/') ? o.scratch : o.scratch + '/';
  return `daemon off;
master_process off;
worker_processes 1;
pid ${o.prefix}/nginx.pid;
error_log ${o.prefix}/error.log warn;
events { worker_connections 512; }
http {
  default_type application/octet-stream;
  log_format ranges '$request_method $uri "$http_range" $status $body_bytes_sent';
  access_log ${o.prefix}/access.log ranges;
  client_body_temp_path ${o.prefix}/body;
  proxy_temp_path ${o.prefix}/proxy;
  fastcgi_temp_path ${o.prefix}/fastcgi;
  uwsgi_temp_path ${o.prefix}/uwsgi;
  scgi_temp_path ${o.prefix}/scgi;
  sendfile on;
  keepalive_requests 10000;
  server {
    listen 127.0.0.1:${o.port};
    server_name localhost;
    location / {
      root ${root};
      autoindex on;
      autoindex_format json;${cors}
    }
    location /html/ {
      alias ${root};
      autoindex on;
      autoindex_format html;
      autoindex_exact_size on;${cors}
    }
    location /nocors/ {
      alias ${root};
      autoindex on;
      autoindex_format json;
    }
    location /scratch/ {
      alias ${scratch};
      autoindex on;
      autoindex_format json;${cors}
    }
  }
}
`;
}

function waitForPort(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tryOnce = () => {
      const s = createConnection({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve();
      });
      s.on('error', () => {
        s.destroy();
        if (Date.now() > until) reject(new Error(`nginx did not listen on ${port} within ${ms} ms`));
        else setTimeout(tryOnce, 50);
      });
    };
    tryOnce();
  });
}

/** Start nginx serving `root` on 127.0.0.1:`port`. */
export async function startNginx(root: string, port: number): Promise<Nginx> {
  const bin = nginxBinary();
  if (!bin) throw new Error(NGINX_MISSING);
  const prefix = mkdtempSync(join(tmpdir(), 'framescope-nginx-'));
  const scratch = join(prefix, 'scratch');
  mkdirSync(scratch);
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(conf, nginxConfig({ prefix, port, root, scratch }));
  const child: ChildProcess = spawn(bin, ['-p', prefix, '-e', join(prefix, 'error.log'), '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    await Promise.race([waitForPort(port, 10_000), exited.then(() => Promise.reject(new Error(`nginx exited: ${stderr}`)))]);
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(prefix, { recursive: true, force: true });
    throw e;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    scratch,
    accessLog() {
      const p = join(prefix, 'access.log');
      if (!existsSync(p)) return [];
      return readFileSync(p, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => {
          const m = /^(\S+) (\S+) "([^"]*)" (\d+) (\d+)$/.exec(l);
          return m
            ? { method: m[1], path: m[2], range: m[3] === '-' ? '' : m[3], status: Number(m[4]), bytes: Number(m[5]) }
            : { method: '?', path: l, range: '', status: 0, bytes: 0 };
        });
    },
    async stop() {
      process.removeListener('exit', killOnExit);
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

/** A loopback port for a helper server: `E2E_PORT + offset` (each helper has its own E2E_PORT). */
export function helperPort(offset: number): number {
  return Number(process.env.E2E_PORT ?? 5183) + offset;
}
