import { expectTypeOf, test } from "vitest";
import { Process, type RemoteError } from "../../src";

test("args are typed by the target's parameters", () => {
  expectTypeOf(new Process({ target: (n: number, s: string) => s.repeat(n), args: [2, "ab"] })).toEqualTypeOf<Process<[n: number, s: string]>>();
  // @ts-expect-error a string where the target takes a number
  new Process({ target: (n: number) => n, args: ["x"] });
  // @ts-expect-error a target needs its arguments
  new Process({ target: (n: number) => n, args: [] });
});

test("what a Process reports", () => {
  const p = new Process({ target: () => 0 });
  expectTypeOf(p.exitCode).toEqualTypeOf<number | null>();
  expectTypeOf(p.error).toEqualTypeOf<RemoteError | undefined>();
  expectTypeOf(p.join(5)).resolves.toEqualTypeOf<number | null>();
  expectTypeOf(p.terminate()).resolves.toEqualTypeOf<number>();
  // Processes of any argument types go into one timeline.
  const q = new Process({ target: (s: string) => s, args: ["a"] });
  expectTypeOf(Process.timeline([p, q]).count).toEqualTypeOf<number>();
});
