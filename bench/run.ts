/**
 * `npm run bench`: runs every bench/*.bench.ts (or those whose name contains argv[2]) and prints
 * the figures. Browser benches use the system Chromium on a Vite dev server; ratios against native
 * ffmpeg are printed where Debian's ffmpeg is installed.
 */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Bench, BenchContext } from './context';
import { fixturesDir } from '../tests/fixtures-path';

const here = dirname(fileURLToPath(import.meta.url));
const PORT = Number(process.env.BENCH_PORT ?? 5199);
const baseUrl = `http://localhost:${PORT}`;
const filter = process.argv[2] ?? '';

function which(cmd: string): string | null {
  try {
    return execSync(`command -v ${cmd}`, { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

const rows: { bench: string; name: string; value: number; unit: string; note: string }[] = [];
let server: ChildProcess | null = null;
let browser: Browser | null = null;

async function startServer(): Promise<void> {
  if (server) return;
  server = spawn('npx', ['vite', '--port', String(PORT), '--strictPort'], { cwd: join(here, '..'), stdio: 'ignore', detached: true });
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(baseUrl + '/harness.html')).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('vite dev server did not start');
}

async function launch(): Promise<Browser> {
  browser ??= await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  return browser;
}

async function newPage(): Promise<Page> {
  await startServer();
  await launch();
  const page = await (await launch()).newPage();
  await page.goto(baseUrl + '/harness.html');
  await page.waitForFunction(() => (window as unknown as { __harnessReady?: boolean }).__harnessReady === true);
  return page;
}

async function main(): Promise<void> {
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
    .sort();
  const info = `node ${process.version}, ${process.platform}/${process.arch}`;
  console.log(`framescope bench — ${info}${which('ffmpeg') ? ', native ffmpeg present' : ', no native ffmpeg'}`);
  for (const f of files) {
    const benchName = f.replace('.bench.ts', '');
    console.log(`\n## ${benchName}`);
    const ctx: BenchContext = {
      fixtures: fixturesDir(),
      nativeFfmpeg: which('ffmpeg'),
      page: newPage,
      newContext: async (opts) => (await launch()).newContext(opts),
      baseUrl,
      report(name, value, unit, note = '') {
        rows.push({ bench: benchName, name, value, unit, note });
        console.log(`  ${name}: ${Number.isFinite(value) ? +value.toPrecision(4) : value} ${unit}${note ? `  (${note})` : ''}`);
      },
    };
    try {
      const mod = (await import(pathToFileURL(join(here, f)).href)) as { default: Bench };
      await mod.default(ctx);
    } catch (e) {
      console.log(`  FAILED: ${(e as Error).stack ?? e}`);
      process.exitCode = 1;
    }
  }
  console.log('\n| bench | figure | value | unit | note |\n|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.bench} | ${r.name} | ${+r.value.toPrecision(4)} | ${r.unit} | ${r.note} |`);
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(async () => {
    await browser?.close();
    if (server?.pid) {
      try {
        process.kill(-server.pid);
      } catch {
        /* gone */
      }
    }
  });
