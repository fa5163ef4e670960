/**
 * framescope's mutation fuzzer (Node): `npm run fuzz -- [--seconds N] [--cases N] [--seed S]
 * [--reader R[,R…]] [--workers W] [--timeout MS] [--heap MB] [--rss MB] [--out DIR] [--json FILE]`
 * and `npm run fuzz -- --replay DIR` (re-run one reproducer); `npm run fuzz -- --browser …` fuzzes the
 * video-backed formats in headless Chromium (browser.ts).
 *
 * Each case mutates one file of one seed (a shared fixture dataset, read-only) deterministically
 * from (seed, case number), runs the reader in a worker thread with a time and heap limit, and is
 * classified: ok, FormatError (the expected answer to bad input), another exception, hang, OOM or
 * worker crash. Failures are deduplicated by signature (error class, message shape and the first
 * src/ stack frame); per signature the mutations are minimised and a reproducer (the damaged
 * files + case.json) is written under the out dir (a temp dir by default, never the repo). A
 * summary table is printed; the exit code is 1 when anything but ok / FormatError happened.
 */
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fixturesDir } from '../../tests/fixtures-path';
import { byReader, mutatedFiles, planCase, type CasePlan, type Outcome } from './case';
import { Pool, type RunResult } from './pool';
import { hash32 } from './rng';
import { loadSeeds, READERS, type ReaderName } from './seeds';

interface Args {
  seconds: number | null;
  cases: number | null;
  seed: number;
  readers: ReaderName[];
  workers: number;
  timeoutMs: number;
  heapMb: number;
  rssMb: number;
  out: string;
  json: string | null;
  replay: string | null;
  quiet: boolean;
}

function parseArgs(argv: string[]): Args {
  const get = (k: string) => {
    const i = argv.indexOf(`--${k}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const num = (k: string, d: number) => (get(k) !== undefined ? Number(get(k)) : d);
  const readers = (get('reader') ?? READERS.join(',')).split(',').filter(Boolean) as ReaderName[];
  for (const r of readers) if (!READERS.includes(r)) throw new Error(`unknown reader '${r}' (available: ${READERS.join(', ')})`);
  const seed = num('seed', 1);
  const seconds = get('seconds') !== undefined ? Number(get('seconds')) : null;
  const cases = get('cases') !== undefined ? Number(get('cases')) : seconds === null ? 2000 : null;
  return {
    seconds,
    cases,
    seed,
    readers,
    workers: num('workers', Math.max(1, Math.min(2, cpus().length))),
    timeoutMs: num('timeout', 20_000),
    heapMb: num('heap', 1024),
    rssMb: num('rss', 4096),
    out: get('out') ?? join(tmpdir(), `framescope-fuzz-seed${seed}`),
    json: get('json') ?? null,
    replay: get('replay') ?? null,
    quiet: argv.includes('--quiet'),
  };
}

type Kind = 'ok' | 'format' | 'browser' | 'error' | 'hang' | 'oom' | 'crash';
interface Stat {
  cases: number;
  ok: number;
  format: number;
  browser: number;
  error: number;
  hang: number;
  oom: number;
  crash: number;
  maxMs: number;
}
interface Finding {
  signature: string;
  kind: Kind;
  reader: ReaderName;
  count: number;
  plan: CasePlan;
  detail: string;
  reproducer?: string;
}

const norm = (m: string) =>
  m
    .replace(/\d[\d,._]*/g, 'N')
    .replace(/'[^']*'|"[^"]*"/g, 'S')
    .slice(0, 140);

function topFrame(stack: string): string {
  for (const line of stack.split('\n').slice(1)) {
    const m = /((?:src|scripts\/fuzz)\/[^\s):]+):(\d+)/.exec(line);
    if (m) return `${m[1]}:${m[2]}`;
  }
  return 'no src frame';
}

function classify(plan: CasePlan, r: RunResult): { kind: Kind; signature: string; detail: string; ms: number } {
  const ops = [...new Set(plan.patches.map((p) => p.op.replace(/-\d.*$/, '')))].join('+');
  if (r.kind === 'hang') return { kind: 'hang', signature: `hang: ${plan.reader} (${ops})`, detail: `no answer within ${Math.round(r.ms)} ms`, ms: r.ms };
  if (r.kind === 'oom') return { kind: 'oom', signature: `oom: ${plan.reader} (${ops})`, detail: r.detail, ms: 0 };
  if (r.kind === 'crash') return { kind: 'crash', signature: `crash: ${plan.reader}: ${norm(r.detail)}`, detail: r.detail, ms: 0 };
  const o: Outcome = r.reply.outcome;
  if (o.kind === 'ok') return { kind: 'ok', signature: '', detail: '', ms: r.reply.ms };
  if (o.kind === 'format') return { kind: 'format', signature: '', detail: o.message, ms: r.reply.ms };
  if (o.kind === 'browser') return { kind: 'browser', signature: '', detail: o.message, ms: r.reply.ms };
  return { kind: 'error', signature: `${o.name}: ${norm(o.message)} @ ${topFrame(o.stack)}`, detail: `${o.name}: ${o.message}\n${o.stack}`, ms: r.reply.ms };
}

function writeReproducer(out: string, f: Finding, files: { path: string; bytes: Uint8Array }[]): string {
  const dir = join(out, `${f.kind}-${hash32(f.signature).toString(16).padStart(8, '0')}`);
  mkdirSync(dir, { recursive: true });
  for (const file of files) {
    const p = join(dir, 'tree', file.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, file.bytes);
  }
  const patches = f.plan.patches.map((p) => ({
    ...p,
    ins: p.ins?.map((s) => (s.b64.length > 4096 ? { ...s, b64: `${s.b64.slice(0, 64)}… (${s.b64.length} chars)` } : s)),
  }));
  writeFileSync(
    join(dir, 'case.json'),
    JSON.stringify(
      {
        signature: f.signature,
        kind: f.kind,
        reader: f.plan.reader,
        seed: f.plan.seedId,
        file: f.plan.file,
        caseNo: f.plan.caseNo,
        patches,
        detail: f.detail,
        count: f.count,
      },
      null,
      1,
    ),
  );
  return dir;
}

function table(rows: string[][]): string {
  const w = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r, i) => r.map((x, c) => (c ? x.padStart(w[c]) : x.padEnd(w[c]))).join('  ') + (i === 0 ? '\n' + w.map((n) => '-'.repeat(n)).join('  ') : ''))
    .join('\n');
}

async function replay(args: Args, fixtures: string) {
  const c = JSON.parse(readFileSync(join(args.replay!, 'case.json'), 'utf8'));
  const seeds = await loadSeeds(fixtures, [c.reader]);
  const seed = seeds.find((s) => s.id === c.seed);
  if (!seed) throw new Error(`seed ${c.seed} not found in the fixtures`);
  const root = join(args.replay!, 'tree');
  const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
  const files = walk(root).map((p) => ({ path: relative(root, p), bytes: new Uint8Array(readFileSync(p)) }));
  const { runCase } = await import('./case');
  const t0 = performance.now();
  const o = await runCase(seed, files);
  console.log(JSON.stringify({ outcome: o, ms: Math.round(performance.now() - t0) }, null, 1));
}

async function main() {
  if (process.argv.includes('--browser')) {
    // the video-backed formats, in headless Chromium (browser.ts)
    const { runBrowserFuzz } = await import('./browser');
    process.exitCode = await runBrowserFuzz(process.argv.slice(2));
    return;
  }
  const args = parseArgs(process.argv.slice(2));
  const fixtures = fixturesDir();
  if (!fixtures) {
    console.log('fuzz: shared fixtures not found (../shared/fixtures or $FRAMESCOPE_FIXTURES): nothing to mutate');
    process.exit(0);
  }
  if (args.replay) return replay(args, fixtures);
  const seeds = await loadSeeds(fixtures, args.readers);
  const groups = byReader(seeds);
  const readers = args.readers.filter((r) => groups.get(r)?.length);
  if (!readers.length) throw new Error('no seeds for the chosen readers');
  const log = (s: string) => !args.quiet && process.stderr.write(s);
  log(
    `fuzz: seed ${args.seed}, ${seeds.length} seeds (${readers.map((r) => `${r} ${groups.get(r)!.length}`).join(', ')}), ${args.workers} workers, ` +
      `${args.cases ?? '∞'} cases${args.seconds ? `, ≤ ${args.seconds} s` : ''}, limits ${args.timeoutMs} ms / heap ${args.heapMb} MB / rss ${args.rssMb} MB\n`,
  );

  const pool = new Pool({
    workers: args.workers,
    timeoutMs: args.timeoutMs,
    heapMb: args.heapMb,
    rssMb: args.rssMb,
    init: { fixtures, readers, fuzzSeed: args.seed },
  });
  const stats = new Map<ReaderName, Stat>(readers.map((r) => [r, { cases: 0, ok: 0, format: 0, browser: 0, error: 0, hang: 0, oom: 0, crash: 0, maxMs: 0 }]));
  const findings = new Map<string, Finding>();
  const t0 = Date.now();
  let next = 0;
  let done = 0;
  const slow: { ms: number; plan: CasePlan }[] = [];
  const more = () => (args.cases === null || next < args.cases) && (args.seconds === null || Date.now() - t0 < args.seconds * 1000);

  const record = (plan: CasePlan, r: RunResult) => {
    const c = classify(plan, r);
    const st = stats.get(plan.reader)!;
    st.cases++;
    st[c.kind]++;
    st.maxMs = Math.max(st.maxMs, c.ms);
    if (c.ms > 2000) slow.push({ ms: c.ms, plan });
    if (c.signature) {
      const f = findings.get(c.signature);
      if (f) f.count++;
      else {
        findings.set(c.signature, { signature: c.signature, kind: c.kind, reader: plan.reader, count: 1, plan, detail: c.detail });
        log(`  new: #${plan.caseNo} ${plan.seedId} ${plan.file}: ${c.signature}\n`);
      }
    }
    done++;
    if (done % 500 === 0) log(`  ${done} cases, ${findings.size} signatures, ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  };

  await Promise.all(
    Array.from({ length: args.workers }, async () => {
      while (more()) {
        const caseNo = next++;
        const r = await pool.run({ caseNo });
        let plan: CasePlan;
        try {
          plan = r.kind === 'reply' ? r.reply.plan : planCase(groups, readers, args.seed, caseNo);
        } catch {
          plan = { caseNo, seedId: '', reader: readers[caseNo % readers.length], file: '', patches: [] };
        }
        record(plan, r);
      }
    }),
  );
  const elapsed = (Date.now() - t0) / 1000;

  // minimise each signature's mutations (drop patches that are not needed), then write reproducers
  const byId = new Map(seeds.map((s) => [s.id, s]));
  for (const f of [...findings.values()].slice(0, 60)) {
    if (f.kind === 'error' && f.plan.patches.length > 1) {
      for (let i = f.plan.patches.length - 1; i >= 0 && f.plan.patches.length > 1; i--) {
        const fewer = f.plan.patches.filter((_, k) => k !== i);
        const r = await pool.run({ caseNo: f.plan.caseNo, patches: fewer });
        if (r.kind === 'reply' && classify(r.reply.plan, r).signature === f.signature) f.plan = { ...f.plan, patches: fewer };
      }
    }
    const seed = byId.get(f.plan.seedId);
    f.reproducer = writeReproducer(args.out, f, seed ? mutatedFiles(seed, f.plan) : []);
  }
  await pool.close();

  const rows = [['reader', 'cases', 'ok', 'FormatError', 'needs browser', 'other exception', 'hang', 'OOM', 'crash', 'slowest ms']];
  const total: Stat = { cases: 0, ok: 0, format: 0, browser: 0, error: 0, hang: 0, oom: 0, crash: 0, maxMs: 0 };
  for (const [r, s] of stats) {
    rows.push([r, s.cases, s.ok, s.format, s.browser, s.error, s.hang, s.oom, s.crash, Math.round(s.maxMs)].map(String));
    for (const k of ['cases', 'ok', 'format', 'browser', 'error', 'hang', 'oom', 'crash'] as const) total[k] += s[k];
    total.maxMs = Math.max(total.maxMs, s.maxMs);
  }
  rows.push(
    ['total', total.cases, total.ok, total.format, total.browser, total.error, total.hang, total.oom, total.crash, Math.round(total.maxMs)].map(String),
  );
  console.log(`\nfuzz: ${total.cases} cases in ${elapsed.toFixed(0)} s (seed ${args.seed})\n`);
  console.log(table(rows));
  if (findings.size) {
    console.log(`\n${findings.size} distinct failure signature(s):`);
    for (const f of findings.values()) console.log(`  ${f.count}× ${f.signature}\n     reproducer: ${f.reproducer ?? '(not written)'}`);
  } else console.log('\nno failures: every damaged input gave a FormatError or opened');
  if (slow.length) {
    slow.sort((a, b) => b.ms - a.ms);
    console.log(
      `\nslowest cases (> 2 s): ${slow
        .slice(0, 5)
        .map((s) => `#${s.plan.caseNo} ${s.plan.seedId} ${s.plan.patches.map((p) => p.op).join('+')} ${Math.round(s.ms)} ms`)
        .join('; ')}`,
    );
  }
  if (args.json)
    writeFileSync(
      args.json,
      JSON.stringify(
        {
          seed: args.seed,
          elapsed,
          stats: Object.fromEntries(stats),
          total,
          findings: [...findings.values()].map((f) => ({ signature: f.signature, kind: f.kind, count: f.count, reader: f.reader, reproducer: f.reproducer })),
        },
        null,
        1,
      ),
    );
  process.exitCode = total.error + total.hang + total.oom + total.crash > 0 ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
