import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Pool } from "../../src/pool";
import { nearestOption } from "../../src/pool/check-options";
import { MAP_OPTIONS, POOL_OPTIONS } from "../../src/pool/options";

// Options a typed caller could not write: what a JavaScript caller, or a notebook cast, passes.
const loose = <T>(o: Record<string, unknown>): T => o as T;

describe("nearestOption", () => {
  it("maps Python's spellings and common slips to the Lanes option", () => {
    expect(nearestOption("maxtasksperchild", POOL_OPTIONS)).toBe("maxTasksPerChild");
    expect(nearestOption("chunk_size", MAP_OPTIONS)).toBe("chunksize");
    expect(nearestOption("chunksiz", MAP_OPTIONS)).toBe("chunksize");
    expect(nearestOption("stop_on_error", MAP_OPTIONS)).toBe("stopOnError");
    expect(nearestOption("Progress", MAP_OPTIONS)).toBe("progress");
    expect(nearestOption("initArgs", POOL_OPTIONS)).toBe("initargs");
  });

  it("suggests nothing for a name far from every option", () => {
    expect(nearestOption("colour", MAP_OPTIONS)).toBeUndefined();
    // An alias whose target the call does not take is no suggestion.
    expect(nearestOption("maxtasksperchild", MAP_OPTIONS)).toBeUndefined();
  });
});

describe("unknown options", () => {
  let pool: Pool;
  beforeAll(() => {
    pool = new Pool(2);
  });
  afterAll(() => pool.terminate());

  it("new Pool() refuses them with a TypeError naming the option meant, before any worker starts", () => {
    expect(() => new Pool(loose({ processes: 1, maxtasksperchild: 2 }))).toThrow(TypeError);
    expect(() => new Pool(loose({ processes: 1, maxtasksperchild: 2 }))).toThrow(/unknown option `maxtasksperchild`\. Did you mean `maxTasksPerChild`\?/);
    expect(() => new Pool(loose({ workers: 2 }))).toThrow(/Did you mean `processes`\?/);
    expect(() => new Pool(loose({ context: { k: 1 } }))).toThrow(/Did you mean `initContext`\?/);
  });

  it("every call refuses them, names itself, and the pool stays usable", async () => {
    const inc = (x: number) => x + 1;
    await expect(pool.map(inc, [1, 2], loose({ chunksiz: 3 }))).rejects.toThrow(/^pool\.map\(\): unknown option `chunksiz`\. Did you mean `chunksize`\?/);
    await expect(pool.starmap((a: number, b: number) => a + b, [[1, 2]], loose({ chunk_size: 1 }))).rejects.toThrow(/pool\.starmap\(\).*`chunksize`/);
    await expect(pool.apply(inc, [1], loose({ stopOnError: false }))).rejects.toThrow(/pool\.apply\(\): unknown option `stopOnError`.*Its options are: signal, context, timeout\./);
    await expect(pool.imap(inc, [1], loose({ windw: 4 })).next()).rejects.toThrow(/pool\.imap\(\).*Did you mean `window`\?/);
    await expect(pool.imapUnordered(inc, [1], loose({ progres: true })).next()).rejects.toThrow(/pool\.imapUnordered\(\).*Did you mean `progress`\?/);
    // A key set to undefined is still a slip.
    await expect(pool.map(inc, [1], loose({ chunk: undefined }))).rejects.toThrow(TypeError);
    await expect(pool.map(inc, [1, 2, 3])).resolves.toEqual([2, 3, 4]);
  });

  it("says that timeout is not built yet and what bounds a call meanwhile", async () => {
    await expect(pool.map((x: number) => x, [1], loose({ timeout: 500 }))).rejects.toThrow(/`timeout` is not an option yet.*AbortSignal\.timeout/);
  });
});
