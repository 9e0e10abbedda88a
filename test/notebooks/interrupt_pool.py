"""Drives the real tslab kernel through jupyter_client: Jupyter's interrupt during `await pool.map(...)`.

    interrupt_pool.py CWD

Prints one JSON line: what each step saw. Used by test/notebooks/pool-interrupt.test.ts.
"""
import json
import sys
import time

from jupyter_client.manager import start_new_kernel

from kernel_client import execute, execute_when_accepted


def main():
    cwd = sys.argv[1]
    km, kc = start_new_kernel(kernel_name="tslab", cwd=cwd)
    seen = {}
    try:
        seen["setup"] = execute(kc, "\n".join([
            'import * as mp from "lanes";',
            "const pool = new mp.Pool(2);",
            "const gate = new Int32Array(new SharedArrayBuffer(8));",
            "const waitAsync = (Atomics as any).waitAsync as (a: Int32Array, i: number, v: number) => { async: boolean; value: Promise<string> | string };",
            # Declared here: tslab forgets the names a failed cell declared (the interrupted one below).
            "let call: Promise<number[]> = Promise.resolve([]);",
            'console.log("warm", (await pool.map((x: number) => x + 1, [1, 2])).join(","));',
        ]))
        # Items 0 and 1 are quick; 2 and 3 say they started, then block their worker for good. With
        # chunks of one, the blocking items are sent only once a quick item's result has arrived.
        task = "({ i, g }: { i: number; g: Int32Array }) => { if (i < 2) return i * 10; Atomics.add(g, 0, 1); Atomics.notify(g, 0); Atomics.wait(g, 1, 0); return -1; }"
        began = [0.0]
        def interrupt():
            began[0] = time.monotonic()
            km.interrupt_kernel()
        seen["interrupted"] = execute(kc, "\n".join([
            f"call = pool.map({task}, [0, 1, 2, 3].map((i) => ({{ i, g: gate }})), {{ chunksize: 1 }});",
            "call.catch(() => undefined);",
            "for (let v = Atomics.load(gate, 0); v < 2; v = Atomics.load(gate, 0)) { const w = waitAsync(gate, 0, v); if (w.async) await w.value; }",
            'console.log("waiting");',
            "await call;",
        ]), on_output=interrupt)
        seen["interruptSeconds"] = time.monotonic() - began[0]
        seen["after"] = execute_when_accepted(kc, "\n".join([
            "const e = await call.then(() => undefined, (e: unknown) => e as mp.KeyboardInterrupt<number>);",
            "const finished = Object.keys(e!.results).map(Number);",
            'console.log("caught", e instanceof mp.KeyboardInterrupt, e!.name, "length", e!.results.length, "finished", JSON.stringify(finished), "values", JSON.stringify(finished.map((i) => e!.results[i])), "threads", pool.threadIds.length);',
        ]))
        began[0] = time.monotonic()
        seen["again"] = execute_when_accepted(kc, 'console.log("again", (await pool.map((x: number) => x * 3, [1, 2, 3])).join(","));')
        seen["againSeconds"] = time.monotonic() - began[0]
        process = km.provisioner.process
        kc.stop_channels()
        km.shutdown_kernel(now=False)
        seen["returncode"] = process.wait(timeout=60)
    finally:
        if km.is_alive():
            km.shutdown_kernel(now=True)
    print(json.dumps(seen))


main()
