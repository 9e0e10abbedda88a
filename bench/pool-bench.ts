/**
 * Pool benchmarks against peers, side by side in one run: a serial loop, raw piscina (one run() per
 * item, and hand-chunked), and Python's multiprocessing.Pool(2).
 *
 *   npm run build && node bench/pool-run.mjs bench/pool-bench.ts [--quick]
 *
 * Prints tables; asserts nothing (tests assert behaviour, never timings).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { Piscina } from "piscina";
import { Pool } from "../src/pool";

const quick = process.argv.includes("--quick");
/** The project root, whether this file runs from bench/ or compiled into dist/bench/. */
function findRoot(dir: string): string {
  return existsSync(join(dir, "package.json")) ? dir : findRoot(dirname(dir));
}
const root = findRoot(__dirname);
const rawWorker = join(root, "bench", "pool-raw-worker.js");
const python = existsSync(join(root, ".venv/bin/python")) ? join(root, ".venv/bin/python") : "python3";
const REPEATS = quick ? 1 : 3;

function countPrimes(limit: number): number {
  let count = 0;
  for (let n = 2; n < limit; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return count;
}

async function best(run: () => unknown): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < REPEATS; i++) {
    const t = performance.now();
    await run();
    min = Math.min(min, performance.now() - t);
  }
  return min / 1000;
}

function pythonSeconds(kind: string, n: number, extra: string[] = []): number {
  const out = execFileSync(python, [join(root, "bench", "pool-python.py"), kind, String(n), ...extra], { encoding: "utf8" });
  return (JSON.parse(out.trim().split("\n").pop()!) as { seconds: number }).seconds;
}

type Row = [name: string, seconds: number, items: number];

function table(title: string, rows: Row[], baseline: string): void {
  const base = rows.find((r) => r[0] === baseline)!;
  console.log(`\n## ${title}\n`);
  console.log("| runner | seconds | items/s | vs " + baseline + " |");
  console.log("|---|---:|---:|---:|");
  for (const [name, s, n] of rows) {
    const rate = n / s;
    const rel = base[2] / base[1] === 0 ? 0 : rate / (base[2] / base[1]);
    console.log(`| ${name} | ${s.toFixed(3)} | ${fmt(rate)} | ${rel.toFixed(2)}× |`);
  }
}

function fmt(rate: number): string {
  return rate >= 1e6 ? `${(rate / 1e6).toFixed(2)} M` : rate >= 1e3 ? `${(rate / 1e3).toFixed(1)} k` : rate.toFixed(1);
}

const inc = (v: unknown): unknown => (typeof v === "number" ? v + 1 : typeof v === "string" ? v.length : (v as { x: number }).x + 1);

async function main(): Promise<void> {
  const pool = new Pool(2);
  const raw = new Piscina({ filename: rawWorker, minThreads: 2, maxThreads: 2, idleTimeout: Infinity });
  await pool.map((x: number) => x, [1, 2, 3, 4]);
  await Promise.all([raw.run({ kind: "one" }), raw.run({ kind: "one" })]);
  console.log(`# Lanes Pool benchmarks (Node ${process.version}, ${pool.processes} workers${quick ? ", --quick" : ""})`);

  // 1. CPU-bound map.
  {
    const limit = 200_000;
    const n = 64;
    const items = Array<number>(n).fill(limit);
    const serial = await best(() => items.map(countPrimes));
    const lanes = await best(() => pool.map(countPrimes, items));
    const rawPerItem = await best(() => Promise.all(items.map((l) => raw.run({ kind: "primes", limit: l }))));
    const pyN = quick ? 2 : 4;
    const py = pythonSeconds("primes", pyN, [String(limit)]);
    table(`CPU-bound map: count primes below ${limit} by trial division, ${n} items (Python: ${pyN} items, scaled)`, [
      ["serial loop", serial, n],
      ["lanes pool.map (default chunksize)", lanes, n],
      ["raw piscina, run() per item", rawPerItem, n],
      ["python Pool(2).map", py, pyN],
    ], "serial loop");
  }

  // 2. Tiny items, default chunksize.
  {
    const n = 1_000_000;
    const chunksize = Math.ceil(n / (4 * pool.processes));
    const inputs: [string, unknown[]][] = [
      ["numbers", Array.from({ length: n }, (_, i) => i)],
      ["strings", Array.from({ length: n }, (_, i) => `s${i}`)],
      ["objects", Array.from({ length: n }, (_, i) => ({ x: i }))],
    ];
    for (const [label, items] of inputs) {
      const serial = await best(() => items.map(inc));
      const lanes = await best(() => pool.map(inc, items));
      const handChunked = await best(async () => {
        const parts: Promise<unknown[]>[] = [];
        for (let i = 0; i < n; i += chunksize) parts.push(raw.run({ kind: "chunk", xs: items.slice(i, i + chunksize) }) as Promise<unknown[]>);
        return (await Promise.all(parts)).flat();
      });
      const rows: Row[] = [
        ["serial loop", serial, n],
        ["lanes pool.map (default chunksize)", lanes, n],
        [`raw piscina, hand-chunked (${chunksize}/run)`, handChunked, n],
      ];
      if (label === "numbers") rows.push(["python Pool(2).map (default chunksize)", pythonSeconds("tiny-map", n), n]);
      table(`Tiny items: x => x + 1 over 10^6 ${label}`, rows, rows[rows.length - 1]![0]);
    }
    // Objects in, objects out: no numeric fast path on either side.
    const objects = Array.from({ length: n }, (_, i) => ({ x: i }));
    const wrap = (o: { x: number }) => ({ y: o.x + 1 });
    const serial = await best(() => objects.map(wrap));
    const lanes = await best(() => pool.map(wrap, objects));
    const handChunked = await best(async () => {
      const parts: Promise<unknown[]>[] = [];
      for (let i = 0; i < n; i += chunksize) parts.push(raw.run({ kind: "wrap", xs: objects.slice(i, i + chunksize) }) as Promise<unknown[]>);
      return (await Promise.all(parts)).flat();
    });
    table("Tiny items: o => ({ y: o.x + 1 }) over 10^6 objects (objects both ways)", [
      ["serial loop", serial, n],
      ["lanes pool.map (default chunksize)", lanes, n],
      [`raw piscina, hand-chunked (${chunksize}/run)`, handChunked, n],
    ], `raw piscina, hand-chunked (${chunksize}/run)`);
  }

  // 3. Per-item dispatch.
  {
    const n = 100_000;
    const items = Array.from({ length: n }, (_, i) => i);
    const drain = async (it: AsyncIterable<unknown>) => {
      for await (const _ of it) {
        /* consume */
      }
    };
    const imap = await best(() => drain(pool.imap((x: number) => x + 1, items)));
    const unordered = await best(() => drain(pool.imapUnordered((x: number) => x + 1, items)));
    const rawPerItem = await best(() => Promise.all(items.map((x) => raw.run({ kind: "inc", x }))));
    const pyImap = pythonSeconds("imap", n);
    const pyUnordered = pythonSeconds("imap-unordered", n);
    table("Per-item dispatch: 10^5 tiny items, chunksize 1", [
      ["python Pool(2).imap(chunksize=1)", pyImap, n],
      ["python Pool(2).imap_unordered(chunksize=1)", pyUnordered, n],
      ["raw piscina, run() per item", rawPerItem, n],
      ["lanes pool.imap", imap, n],
      ["lanes pool.imapUnordered", unordered, n],
    ], "python Pool(2).imap(chunksize=1)");
  }

  await pool.terminate();
  await raw.destroy();

  // 4. Startup: constructor to first result.
  {
    const lanes: number[] = [];
    const piscina: number[] = [];
    for (let i = 0; i < (quick ? 3 : 7); i++) {
      let t = performance.now();
      const p = new Pool(2);
      await p.apply(() => 1);
      lanes.push(performance.now() - t);
      await p.terminate();
      t = performance.now();
      const r = new Piscina({ filename: rawWorker, minThreads: 2, maxThreads: 2 });
      await r.run({ kind: "one" });
      piscina.push(performance.now() - t);
      await r.destroy();
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log("\n## Startup: constructor to first result (median ms)\n");
    console.log("| runner | ms |\n|---|---:|");
    console.log(`| raw piscina | ${median(piscina).toFixed(1)} |`);
    console.log(`| lanes new Pool(2) + apply | ${median(lanes).toFixed(1)} |`);
  }
}

void main();
