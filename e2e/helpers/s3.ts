/**
 * A real S3-API server on loopback for the remote-listing tests: s3rver (npm, dev dependency; a
 * small Koa server that implements ListObjectsV2 with continuation tokens, ranged GET/HEAD, bucket
 * CORS rules and S3 V2/V4 signatures — enough S3 for a reader, with nothing to download at run time).
 * Objects are uploaded with plain anonymous PUTs, which s3rver accepts.
 */
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';

export const S3_CORS = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>Range</AllowedHeader>
    <AllowedHeader>If-Match</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <ExposeHeader>Content-Range</ExposeHeader>
    <ExposeHeader>Content-Length</ExposeHeader>
    <ExposeHeader>Last-Modified</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

export interface S3 {
  /** http://127.0.0.1:PORT (path-style buckets below it) */
  url: string;
  bucket: string;
  /** put every file below `dir` under `prefix` (ends with '/'); returns the number of objects */
  putDir(dir: string, prefix: string): Promise<number>;
  /** a V2 pre-signed GET URL for `path` (bucket-relative, with query) valid for `seconds` */
  presign(path: string, query: Record<string, string>, seconds?: number): string;
  stop(): Promise<void>;
}

export async function startS3(port: number, bucket = 'lab'): Promise<S3> {
  const directory = mkdtempSync(join(tmpdir(), 'framescope-s3-'));
  const cors = join(directory, 'cors.xml');
  writeFileSync(cors, S3_CORS);
  // A child process: s3rver's ListObjectsV2 continuation tokens use DES, which Node's OpenSSL 3 only
  // offers with the legacy provider (the test process itself stays as it is).
  const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  const args = [
    '--openssl-legacy-provider',
    bin,
    '-d',
    join(directory, 'data'),
    '-a',
    '127.0.0.1',
    '-p',
    String(port),
    '-s',
    '--no-vhost-buckets',
    '--configure-bucket',
    bucket,
    cors,
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    await Promise.race([waitForPort(port, 15_000), exited.then(() => Promise.reject(new Error(`s3rver exited: ${stderr}`)))]);
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(directory, { recursive: true, force: true });
    throw e;
  }
  const url = `http://127.0.0.1:${port}`;
  const enc = (p: string) => p.split('/').map(encodeURIComponent).join('/');
  return {
    url,
    bucket,
    async putDir(dir, prefix) {
      const files: string[] = [];
      const walk = (d: string) => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          const p = join(d, e.name);
          if (e.isDirectory()) walk(p);
          else files.push(p);
        }
      };
      walk(dir);
      for (const f of files) {
        const key = prefix + relative(dir, f).split(sep).join('/');
        const res = await fetch(`${url}/${bucket}/${enc(key)}`, {
          method: 'PUT',
          body: readFileSync(f),
          headers: { 'Content-Type': 'application/octet-stream' },
        });
        if (!res.ok) throw new Error(`s3rver PUT ${key}: HTTP ${res.status} ${await res.text()}`);
      }
      return files.length;
    },
    presign(path, query, seconds = 600) {
      // AWS signature V2 for a query-string-authenticated GET (s3rver's default key pair)
      const expires = String(Math.floor(Date.now() / 1000) + seconds);
      const resource = path ? `/${bucket}/${path}` : `/${bucket}`;
      const sig = createHmac('sha1', 'S3RVER').update(`GET\n\n\n${expires}\n${resource}`).digest('base64');
      const u = new URL(`${url}/${bucket}/${path}`);
      for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
      u.searchParams.set('AWSAccessKeyId', 'S3RVER');
      u.searchParams.set('Expires', expires);
      u.searchParams.set('Signature', sig);
      return u.href;
    },
    async stop() {
      process.removeListener('exit', killOnExit);
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(directory, { recursive: true, force: true });
    },
  };
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
        if (Date.now() > until) reject(new Error(`s3rver did not listen on ${port} within ${ms} ms`));
        else setTimeout(tryOnce, 100);
      });
    };
    tryOnce();
  });
}
