import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { cellTexts, describeFailure, displayedMimeTypes, executeNotebook } from "./execute-notebook";

const notebooksDir = resolve(__dirname, "..", "..", "notebooks");
const notebooks = readdirSync(notebooksDir).filter((f) => f.endsWith(".ipynb")).sort();

const TIMELINE = "application/vnd.lanes.timeline.v1+json";
const TABLE = "application/vnd.lanes.table.v1+json";

/**
 * What each lesson is there to show, as patterns in what it printed, and the Lanes displays it must
 * draw. Measured figures (ms, speedups, lost increments) are matched as `\d+`, never asserted: the
 * lessons measure the machine, the test checks that they measured and said what they found.
 */
const lessons: Record<string, { shows: RegExp[]; displays: string[] }> = {
  "00-setup-and-tour.ipynb": {
    shows: [/lets us use \d+ cores/, /17984 primes below 200000/, /37706 primes below 450000/, /\d+ batches; wall \d+ ms; speedup [\d.]+×/],
    displays: [TIMELINE],
  },
  "01-why-parallel.ipynb": {
    shows: [
      /Volume: 231083 rows, 11\.\d MB; read \d+ ms, parse \d+ ms/,
      /Variety: seattle-weather\.csv · CSV text · 1461 rows/,
      /Variety: flights-200k\.arrow · Arrow \(binary, columnar\) · 231083 rows/,
      /Veracity: 213 of 3201 movies have no IMDB rating/,
      /Veracity: 24 movies "released" after 2010/,
      /Veracity: the longest delay is 180 min/,
      /Value: the least delayed departures leave at \d+:00/,
      /Velocity: one thread [\d.]+ ms .* pool of \d+ [\d.]+ ms, same sums: true/,
      /(one thread|the pool) won, by [\d.]+×/,
    ],
    displays: [TABLE, TIMELINE],
  },
  "02-data-vs-task-parallelism.ipynb": {
    shows: [/data parallel: 59 origins from 4 slices; same counts as one thread: true/, /task parallel: (\d+) delayed flights through 2 stages \(expected \1\)/, /exit codes: parse 0, grade 0/],
    displays: [TIMELINE],
  },
  "03-io-bound-vs-cpu-bound.ipynb": {
    shows: [
      /sequential: \d+ ms for 8 requests/,
      /concurrent: \d+ ms for 8 requests, on the same single thread/,
      /Promise\.all: +\d+ ms \([\d.]+× as fast\)/,
      /pool of \d+ workers: +\d+ ms \([\d.]+× as fast\)/,
      // Deterministic: a synchronous loop on the kernel thread lets no timer run.
      /timer ticks while the kernel thread computed: 0\n/,
      /timer ticks while the pool computed: \d+/,
    ],
    displays: [TIMELINE],
  },
  "04-pool-map-and-chunksize.ipynb": {
    shows: [
      /in input order: \[ 1, 4, 9, 16, 25 \] \[ 1024, 81 \] 42/,
      /\.txt hello-world\.txt/,
      /NotShippableError: Cannot ship `fn` to a worker: it refers to `socket`/,
      /chunksize 1 +\d+ ms +\d+ batches +speedup [\d.]+×/,
      /chunksize default \(500\) +\d+ ms +\d+ batches/,
      /chunksize 2000 +\d+ ms +\d+ batches/,
      // How the slow first chunk was shared out depends on when the other worker ran dry (on a loaded machine it
      // may be too late): the lesson prints what happened; test/pool covers work sharing with handshakes.
      /chunksize default \(50\): \d+ ms, speedup [\d.]+×; the first chunk ran as \d+ batch(es)? on [12] workers?/,
      /first squares above 10000: \[ 10201, 10404, 10609 \]/,
      /RangeError at item 2: cannot take the square root of -1/,
      /failed items 1, 3; results \[ 2, undefined, 4, undefined \]/,
    ],
    displays: [TIMELINE],
  },
  "05-process.ipynb": {
    shows: [
      /alive right after start\(\): true/,
      /hello from a Process/,
      /greeter exited with code 0; alive now: false/,
      /primes\(400000\) = 33860 in \d+ ms/,
      /fib\(31\) = 1346269 in \d+ ms/,
      /all three together: \d+ ms; exit codes 0, 0, 0/,
      /after join\(200\): still running, isAlive\(\) = true/,
      /after terminate\(\): exitCode = -15 .*isAlive\(\) = false/,
      /config exited with code 1: SyntaxError/,
    ],
    displays: [TIMELINE],
  },
  "06-queue.ipynb": {
    shows: [
      /qsize 2, empty false, full true/,
      /putNowait on a full queue: Full/,
      /put with a 50 ms timeout on a full queue: Full/,
      /getNowait on an empty queue: Empty/,
      /Task no 9 is done by Process-\d/,
      /10 tasks done; exit codes 0, 0, 0, 0/,
      /get\(\) on an empty queue waited \d+ ms, then gave up: Empty/,
    ],
    displays: [TIMELINE],
  },
  "07-shared-memory-and-locks.ipynb": {
    shows: [
      /after the Process: ordinary\.count = 0, shared\.value = 1/,
      // The race a lock prevents: the unlocked count is measured, never asserted; the locked one is exact.
      /without the lock: \d+ of 800000 increments \(\d+ lost\)/,
      /with the lock: 800000 of 800000 increments \(0 lost\)/,
      /shared bins, locked: total 1000000/,
      /a row per Process: +total 1000000/,
      /same histogram: true/,
    ],
    displays: [TIMELINE],
  },
  "08-etl-flights.ipynb": {
    shows: [
      /extract: 20000 flights and 3376 airports in \d+ ms/,
      /654 routes, 331 with at least 20 flights/,
      /transform: one thread \d+ ms, pool of \d+ \d+ ms \([\d.]+× as fast\); same results: true/,
      /load: 331 routes; \d+ are late even at the low end of their interval/,
      /route +from +to +flights +meanDelay +low +high/,
    ],
    displays: [TIMELINE, TABLE],
  },
  "09-faults-and-scaling-out.ipynb": {
    shows: [
      /2 bad readings \(items 2, 5\), 5 kept/,
      /WorkerCrashedError at item 2, exit code 1/,
      /item 2: WorkerCrashedError; kept 10,20,40,50,60/,
      /the next call: \[ 10, 20, 30 \]/,
      /the dead worker was replaced/,
      /attempt 1 lost a worker; trying again/,
      /results with a retry: \[ 10, 20, 30, 40, 50, 60 \]/,
      /AbortError after \d+ ms instead of a minute/,
      /the pool still works: \[ 2, 3, 4 \]/,
      /timed out: items 0; kept 10,10/,
      // .ci/run installs redis-server: the local cluster really runs here.
      /primes counted on the cluster: 5133, 6057, 6935, 7837, by [12] worker process\(es\)/,
    ],
    displays: [TIMELINE],
  },
};

describe("every lesson runs top to bottom in the real tslab kernel and shows what it teaches", () => {
  it("has the ten lessons, each with its checks, each under 300 kB as committed", () => {
    expect(notebooks).toEqual(Object.keys(lessons).sort());
    for (const name of notebooks) expect(statSync(join(notebooksDir, name)).size, name).toBeLessThan(300_000);
  });

  for (const name of notebooks) {
    it(name, async () => {
      const run = await executeNotebook(join(notebooksDir, name), { timeout: 180 });
      if (!run.ok) expect.fail(`${name}: ${describeFailure(run)}`);
      const printed = cellTexts(run.executedPath).join("\n");
      for (const pattern of lessons[name]?.shows ?? []) expect(printed, name).toMatch(pattern);
      const mimes = displayedMimeTypes(run.executedPath);
      for (const mime of lessons[name]?.displays ?? []) expect(mimes, name).toContain(mime);
    });
  }
});
