/**
 * Browser fuzz mode: `npm run fuzz -- --browser [--cases N | --seconds N] [--seed S]
 * [--reader pypde,imgstore-video,video] [--port P] [--timeout MS] [--rss MB] [--out DIR] [--json FILE]`.
 *
 * The video-backed formats (py-pde FFV1 movies, imgstore MJPEG-AVI / H.264-MP4/MKV chunk stores,
 * plain videos) need ffmpeg.wasm / WebCodecs, so their damaged copies run in headless Chromium
 * (playwright-core, the system Chromium) against the Vite dev server (started here on `--port`,
 * or an already running one there): each case is planned in Node exactly as the Node fuzzer plans
 * them (mutate.ts, deterministic from seed and case number), and run in a module worker
 * (browser-worker.ts) through openDataset + readFrame, with the app's decode watchdog in force.
 * Classified: ok, FormatError, another exception, hang (no answer within `--timeout`: the worker is
 * terminated and replaced), OOM (the renderer processes' resident size passed `--rss`, or the
 * renderer crashed). A reproducer (damaged files + case.json) is written per failure signature.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { fixturesDir } from '../../tests/fixtures-path';
import type { BrowserCase, BrowserOutcome } from './browser-worker';
import { applyPatches, planMutations, type Patch } from './mutate';
import { hash32, Rng } from './rng';
import { walk } from './seeds';

export const BROWSER_READERS = ['pypde', 'imgstore-video', 'video'] as const;
type BrowserReader = (typeof BROWSER_READERS)[number];

interface VSeed {
  id: string;
  reader: BrowserReader;
  /** tree path → fixture path (relative to the fixtures dir) */
  files: { path: string; fixture: string; bytes: Uint8Array }[];
  /** [weight, path] of the files worth mutating */
  targets: [number, string][];
}

const VIDEO = /\.(avi|mkv|mp4|mov|webm|gif)$/i;

export function loadVideoSeeds(fx: string, readers: readonly BrowserReader[]): VSeed[] {
  const seeds: VSeed[] = [];
  const file = (root: string, abs: string) => ({ path: relative(root, abs), fixture: relative(fx, abs), bytes: new Uint8Array(readFileSync(abs)) });
  const pypde = join(fx, 'pypde');
  if (readers.includes('pypde') && existsSync(pypde))
    for (const m of readdirSync(pypde)
      .filter((f) => /\.(avi|mkv|mov)$/i.test(f))
      .sort()) {
      const abs = [join(pypde, m), ...(existsSync(join(pypde, `${m}.times`)) ? [join(pypde, `${m}.times`)] : [])];
      const files = abs.map((a) => file(pypde, a));
      seeds.push({ id: `pypde:${m}`, reader: 'pypde', files, targets: files.map((f) => [VIDEO.test(f.path) ? 5 : 1, f.path]) });
    }
  const imgstore = join(fx, 'imgstore');
  if (readers.includes('imgstore-video') && existsSync(imgstore))
    for (const d of readdirSync(imgstore).sort()) {
      const dir = join(imgstore, d);
      if (!statSync(dir).isDirectory() || !existsSync(join(dir, 'metadata.yaml'))) continue;
      if (!/VideoImgStore/.test(readFileSync(join(dir, 'metadata.yaml'), 'utf8'))) continue;
      const files = walk(dir)
        .filter((p) => !/expected\.json$/.test(p))
        .map((a) => file(imgstore, a));
      seeds.push({
        id: `imgstore-video:${d}`,
        reader: 'imgstore-video',
        files,
        targets: files.map((f) => [VIDEO.test(f.path) ? 6 : /\.npz$/.test(f.path) ? 2 : 1, f.path]),
      });
    }
  const isf = join(fx, 'isf');
  if (readers.includes('video') && existsSync(isf))
    for (const m of readdirSync(isf)
      .filter((f) => VIDEO.test(f))
      .sort()) {
      const files = [file(isf, join(isf, m))];
      seeds.push({ id: `video:${m}`, reader: 'video', files, targets: [[1, files[0].path]] });
    }
  return seeds;
}

interface Plan {
  caseNo: number;
  seed: VSeed;
  target: string;
  patches: Patch[];
}

function planCase(groups: Map<BrowserReader, VSeed[]>, readers: readonly BrowserReader[], fuzzSeed: number, caseNo: number): Plan {
  const present = readers.filter((r) => groups.get(r)?.length);
  const rng = new Rng(hash32('framescope-browser-fuzz', fuzzSeed, caseNo));
  const reader = present[caseNo % present.length];
  const seeds = groups.get(reader)!;
  const seed = seeds[rng.int(seeds.length)];
  const target = rng.weighted(seed.targets);
  const bytes = seed.files.find((f) => f.path === target)!.bytes;
  return { caseNo, seed, target, patches: planMutations(rng, target, bytes) };
}

function toMessage(p: Plan): BrowserCase {
  return {
    caseNo: p.caseNo,
    name: p.seed.id.split(':')[1] ?? 'x',
    files: p.seed.files.map((f) => ({ path: f.path, fixture: f.fixture })),
    target: p.target,
    patches: p.patches,
  };
}

/** Resident size (kB) of the browser's renderer/utility processes: every descendant of `pid`. */
function treeRssKb(pid: number): number {
  const kids = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      kids.set(ppid, [...(kids.get(ppid) ?? []), Number(d)]);
    } catch {
      /* gone */
    }
  }
  let total = 0;
  const stack = [...(kids.get(pid) ?? [])];
  while (stack.length) {
    const p = stack.pop()!;
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) total += Number(m[1]);
    } catch {
      /* gone */
    }
    stack.push(...(kids.get(p) ?? []));
  }
  return total;
}

interface BArgs {
  cases: number | null;
  seconds: number | null;
  seed: number;
  readers: BrowserReader[];
  port: number;
  timeoutMs: number;
  rssMb: number;
  out: string;
  json: string | null;
  quiet: boolean;
}

function parseArgs(argv: string[]): BArgs {
  const get = (k: string) => {
    const i = argv.indexOf(`--${k}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const readers = (get('reader') ?? BROWSER_READERS.join(',')).split(',').filter(Boolean) as BrowserReader[];
  for (const r of readers) if (!BROWSER_READERS.includes(r)) throw new Error(`unknown browser reader '${r}' (available: ${BROWSER_READERS.join(', ')})`);
  const seconds = get('seconds') !== undefined ? Number(get('seconds')) : null;
  const seed = Number(get('seed') ?? 1);
  return {
    seconds,
    cases: get('cases') !== undefined ? Number(get('cases')) : seconds === null ? 200 : null,
    seed,
    readers,
    port: Number(get('port') ?? process.env.E2E_PORT ?? 5199),
    // above the probe watchdog (60 s): a hang here means the watchdog did not answer
    timeoutMs: Number(get('timeout') ?? 90_000),
    rssMb: Number(get('rss') ?? 4096),
    out: get('out') ?? join(tmpdir(), `framescope-browser-fuzz-seed${seed}`),
    json: get('json') ?? null,
    quiet: argv.includes('--quiet'),
  };
}

async function ensureServer(port: number): Promise<() => Promise<void>> {
  const url = `http://localhost:${port}/harness.html`;
  try {
    if ((await fetch(url)).ok) return async () => {};
  } catch {
    /* not running: start one */
  }
  const { createServer } = await import('vite');
  // no file watching: a long run keeps the code it started with while the tree is edited
  const server = await createServer({ server: { port, strictPort: true, host: 'localhost', watch: null, hmr: false }, logLevel: 'error', clearScreen: false });
  await server.listen();
  return () => server.close();
}

const HARNESS = `
  window.__fuzz = {
    w: null,
    start() { this.w = new Worker('/scripts/fuzz/browser-worker.ts', { type: 'module' }); },
    run(msg, timeoutMs) {
      if (!this.w) this.start();
      const w = this.w;
      return new Promise((resolve) => {
        const done = (r) => { clearTimeout(t); w.onmessage = null; w.onerror = null; resolve(r); };
        const t = setTimeout(() => { w.terminate(); this.w = null; done({ hang: true }); }, timeoutMs);
        w.onmessage = (e) => done(e.data);
        w.onerror = (e) => { e.preventDefault?.(); w.terminate(); this.w = null; done({ crash: String(e.message || 'worker error') }); };
        w.postMessage(msg);
      });
    },
  };
`;

type Kind = 'ok' | 'format' | 'error' | 'hang' | 'oom' | 'crash';
const KINDS: Kind[] = ['ok', 'format', 'error', 'hang', 'oom', 'crash'];

const norm = (m: string) =>
  m
    .replace(/\d[\d,._]*/g, 'N')
    .replace(/'[^']*'|"[^"]*"/g, 'S')
    .slice(0, 140);

function topFrame(stack: string): string {
  for (const line of stack.split('\n').slice(1)) {
    const m = /((?:src|scripts\/fuzz)\/[^\s):?]+)(?:\?[^:]*)?:(\d+)/.exec(line);
    if (m) return `${m[1]}:${m[2]}`;
  }
  return 'no src frame';
}

export async function runBrowserFuzz(argv: string[]): Promise<number> {
  const a = parseArgs(argv);
  const fx = fixturesDir();
  if (!fx) {
    console.log('shared fixtures not found: nothing to fuzz');
    return 0;
  }
  const seeds = loadVideoSeeds(fx, a.readers);
  const groups = new Map<BrowserReader, VSeed[]>();
  for (const s of seeds) groups.set(s.reader, [...(groups.get(s.reader) ?? []), s]);
  const stop = await ensureServer(a.port);
  const browser: Browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const browserPid = (browser as unknown as { process?: () => { pid?: number } }).process?.()?.pid;
  let page: Page | null = null;
  const openPage = async () => {
    page = await browser.newPage();
    await page.goto(`http://localhost:${a.port}/harness.html`);
    await page.evaluate(HARNESS);
  };
  const stats = new Map<string, Record<Kind, number> & { cases: number; maxMs: number }>();
  const findings = new Map<string, { signature: string; kind: Kind; count: number; caseNo: number; seed: string; detail: string; reproducer: string }>();
  const t0 = Date.now();
  const counts = { cases: 0 };
  console.log(
    `browser fuzz: seed ${a.seed}, ${seeds.length} seeds (${[...groups].map(([r, s]) => `${r} ${s.length}`).join(', ')}), ${a.cases ?? '∞'} cases${a.seconds ? `, ≤ ${a.seconds} s` : ''}, limits ${a.timeoutMs} ms / rss ${a.rssMb} MB, Chromium on :${a.port}`,
  );
  try {
    await openPage();
    for (let caseNo = 0; ; caseNo++) {
      if (a.cases !== null && caseNo >= a.cases) break;
      if (a.seconds !== null && Date.now() - t0 > a.seconds * 1000) break;
      const plan = planCase(groups, a.readers, a.seed, caseNo);
      const msg = toMessage(plan);
      let kind: Kind;
      let detail = '';
      let signature = '';
      let ms = 0;
      const started = Date.now();
      const crashed = new Promise<{ pageCrash: true }>((res) => page!.once('crash', () => res({ pageCrash: true })));
      let r: { outcome?: BrowserOutcome; hang?: true; crash?: string; pageCrash?: true };
      try {
        r = await Promise.race([
          page!.evaluate(([m, t]) => (window as unknown as { __fuzz: { run(m: unknown, t: number): Promise<unknown> } }).__fuzz.run(m, t), [
            msg,
            a.timeoutMs,
          ] as const) as Promise<typeof r>,
          crashed,
        ]);
      } catch (e) {
        r = { pageCrash: true, crash: String((e as Error).message) } as typeof r;
      }
      ms = Date.now() - started;
      const rssMb = browserPid ? treeRssKb(browserPid) / 1024 : 0;
      if (r.pageCrash) {
        kind = 'oom';
        signature = `renderer crash: ${plan.seed.reader}`;
        detail = `the page crashed (${r.crash ?? 'renderer gone'}) after ${ms} ms`;
      } else if (r.hang) {
        kind = 'hang';
        signature = `hang: ${plan.seed.reader} (${[...new Set(plan.patches.map((p) => p.op))].join('+')})`;
        detail = `no answer within ${a.timeoutMs} ms`;
      } else if (r.crash) {
        kind = 'crash';
        signature = `worker crash: ${plan.seed.reader}: ${norm(r.crash)}`;
        detail = r.crash;
      } else {
        const o = r.outcome!;
        ms = o.ms;
        if (o.kind === 'ok') kind = 'ok';
        else if (o.kind === 'format') kind = 'format';
        else {
          kind = 'error';
          signature = `${o.name}: ${norm(o.message)} @ ${topFrame(o.stack)}`;
          detail = `${o.name}: ${o.message}\n${o.stack}`;
        }
      }
      if (kind !== 'oom' && rssMb > a.rssMb) {
        kind = 'oom';
        signature = `rss: ${plan.seed.reader}`;
        detail = `renderer processes at ${Math.round(rssMb)} MB after the case`;
      }
      const st = stats.get(plan.seed.reader) ?? { cases: 0, ok: 0, format: 0, error: 0, hang: 0, oom: 0, crash: 0, maxMs: 0 };
      st.cases++;
      st[kind]++;
      st.maxMs = Math.max(st.maxMs, ms);
      stats.set(plan.seed.reader, st);
      counts.cases++;
      if (signature) {
        const f = findings.get(signature);
        if (f) f.count++;
        else {
          const dir = join(a.out, `${kind}-${hash32(signature).toString(16).padStart(8, '0')}`);
          mkdirSync(dir, { recursive: true });
          for (const file of plan.seed.files) {
            const p = join(dir, 'tree', file.path);
            mkdirSync(dirname(p), { recursive: true });
            writeFileSync(p, file.path === plan.target ? applyPatches(file.bytes, plan.patches) : file.bytes);
          }
          writeFileSync(
            join(dir, 'case.json'),
            JSON.stringify({ signature, kind, detail, caseNo, seed: a.seed, seedId: plan.seed.id, target: plan.target, patches: plan.patches }, null, 1),
          );
          findings.set(signature, { signature, kind, count: 1, caseNo, seed: plan.seed.id, detail, reproducer: dir });
          console.log(`  new: #${caseNo} ${plan.seed.id} ${plan.target}: ${signature}`);
        }
      }
      if (kind === 'oom') {
        await page!.close().catch(() => {});
        await openPage();
      }
      if (!a.quiet && counts.cases % 100 === 0) console.log(`  ${counts.cases} cases, ${findings.size} signatures, ${Math.round((Date.now() - t0) / 1000)} s`);
    }
  } finally {
    await browser.close().catch(() => {});
    await stop();
  }
  const secs = Math.round((Date.now() - t0) / 1000);
  const total: Record<string, number> = { cases: 0, ok: 0, format: 0, error: 0, hang: 0, oom: 0, crash: 0, maxMs: 0 };
  const rows = [...stats].map(([r, s]) => {
    for (const k of ['cases', ...KINDS] as const) total[k] += s[k];
    total.maxMs = Math.max(total.maxMs, s.maxMs);
    return [r, s.cases, s.ok, s.format, s.error, s.hang, s.oom, s.crash, Math.round(s.maxMs)];
  });
  rows.push(['total', total.cases, total.ok, total.format, total.error, total.hang, total.oom, total.crash, Math.round(total.maxMs)]);
  const head = ['reader', 'cases', 'ok', 'FormatError', 'other exception', 'hang', 'OOM', 'crash', 'slowest ms'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  console.log(`\nbrowser fuzz: ${total.cases} cases in ${secs} s (seed ${a.seed})\n`);
  console.log(head.map((h, i) => h.padEnd(w[i])).join('  '));
  console.log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const r of rows) console.log(r.map((c, i) => (i ? String(c).padStart(w[i]) : String(c).padEnd(w[i]))).join('  '));
  if (findings.size) {
    console.log(`\n${findings.size} distinct failure signature(s):`);
    for (const f of findings.values()) console.log(`  ${f.count}× ${f.signature}\n     ${f.detail.split('\n')[0]}\n     reproducer: ${f.reproducer}`);
  } else console.log('\nno failures: every damaged input gave a FormatError or opened');
  if (a.json)
    writeFileSync(
      a.json,
      JSON.stringify(
        {
          seed: a.seed,
          seconds: secs,
          total,
          readers: Object.fromEntries(stats),
          findings: [...findings.values()].map((f) => ({ ...f, detail: f.detail.slice(0, 2000) })),
        },
        null,
        1,
      ),
    );
  return findings.size ? 1 : 0;
}
