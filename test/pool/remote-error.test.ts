import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RemoteError } from "../../src/errors";
import { Pool } from "../../src/pool";

let pool: Pool;
beforeAll(() => {
  pool = new Pool(1);
});
afterAll(() => pool.terminate());

/** The RemoteError a task's throw becomes on the kernel side. */
async function thrownBy(task: () => unknown): Promise<RemoteError> {
  const error: unknown = await pool.apply(task).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteError);
  return error as RemoteError;
}

describe("errors thrown in a worker keep their fields", () => {
  it("own properties such as code arrive, on the error and in props", async () => {
    const e = await thrownBy(() => {
      throw Object.assign(new RangeError("r"), { code: "E1", detail: { at: [1, 2] } });
    });
    expect(e.remoteName).toBe("RangeError");
    expect(e.code).toBe("E1");
    expect(e.props).toEqual({ code: "E1", detail: { at: [1, 2] } });
  });

  it("a cause chain arrives as RemoteErrors, and a non-Error cause as its value", async () => {
    const e = await thrownBy(() => {
      throw new Error("outer", { cause: new TypeError("middle", { cause: { why: "disk full" } }) });
    });
    const middle = e.cause as RemoteError;
    expect(middle).toBeInstanceOf(RemoteError);
    expect(middle.remoteName).toBe("TypeError");
    expect(middle.message).toBe("middle");
    expect(middle.cause).toEqual({ why: "disk full" });
  });

  it("an AggregateError's errors arrive, each a RemoteError", async () => {
    const e = await thrownBy(() => {
      throw new AggregateError([new Error("a"), Object.assign(new RangeError("b"), { code: 7 })], "both");
    });
    expect(e.remoteName).toBe("AggregateError");
    expect(e.errors?.map((x) => [x.remoteName, x.message, x.code])).toEqual([
      ["Error", "a", undefined],
      ["RangeError", "b", 7],
    ]);
  });

  it("what cannot cross is left behind, the rest arrives, and a cyclic cause ends", async () => {
    const e = await thrownBy(() => {
      const err = Object.assign(new Error("x"), { callback: () => 1, code: "KEEP" });
      (err as { cause?: unknown }).cause = err;
      throw err;
    });
    expect(e.code).toBe("KEEP");
    expect("callback" in e.props).toBe(false);
    let depth = 0;
    for (let c: unknown = e.cause; c instanceof RemoteError; c = c.cause) depth++;
    expect(depth).toBeGreaterThan(0);
    expect(depth).toBeLessThanOrEqual(8);
  });

  it("a thrown property cannot change which item failed", async () => {
    const error: unknown = await pool.map((x: number) => {
      if (x === 2) throw Object.assign(new Error("two"), { index: 99 });
      return x;
    }, [0, 1, 2]).catch((e: unknown) => e);
    expect((error as RemoteError).index).toBe(2);
    expect((error as RemoteError).props).toEqual({ index: 99 });
  });
});
