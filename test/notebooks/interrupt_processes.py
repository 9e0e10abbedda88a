"""Drives the real tslab kernel through jupyter_client: Processes on interrupt and on shutdown.

    interrupt_processes.py CWD

Prints one JSON line: what each step saw. Used by test/notebooks/process-signals.test.ts.
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
        # Two Processes blocked on a gate no one opens; the cell returns once both said they run.
        seen["setup"] = execute(kc, "\n".join([
            'import * as mp from "lanes";',
            "const gate = new Int32Array(new SharedArrayBuffer(8));",
            "const ps = [0, 1].map(() => new mp.Process({ target: (g: Int32Array) => { Atomics.add(g, 0, 1); Atomics.notify(g, 0); Atomics.wait(g, 1, 0); }, args: [gate] }));",
            "ps.forEach((p) => p.start());",
            "const waitAsync = (Atomics as any).waitAsync as (a: Int32Array, i: number, v: number) => { async: boolean; value: Promise<string> | string };",
            "for (let v = Atomics.load(gate, 0); v < 2; v = Atomics.load(gate, 0)) { const w = waitAsync(gate, 0, v); if (w.async) await w.value; }",
            'console.log("running", ps.map((p) => p.isAlive()).join(","));',
        ]))
        # A cell waiting on them, interrupted once it waits (Jupyter's ■ button: SIGINT). Not earlier: a
        # SIGINT that arrives while tslab still compiles the cell hangs the kernel whenever any SIGINT
        # listener exists (tslab 1.0.22, Node 20; seen without Lanes too). The cell prints after its
        # first await, when its synchronous part (run under vm's breakOnSigint) is over.
        seen["joined"] = execute(kc, 'await null; console.log("waiting"); await Promise.all(ps.map((p) => p.join()));', on_output=km.interrupt_kernel)
        seen["after"] = execute_when_accepted(kc, 'console.log("exit", ps.map((p) => p.exitCode).join(","), "alive", ps.map((p) => p.isAlive()).join(","));')
        # The kernel is still usable: a new Process runs.
        seen["again"] = execute_when_accepted(kc, 'const again = new mp.Process({ target: () => 0 }); again.start(); console.log("again", await again.join());')
        # Shutdown with a Process still blocked: the kernel must end (by the SIGTERM Jupyter sends after
        # its shutdown request), not hang until it is killed.
        seen["blocked"] = execute_when_accepted(kc, 'const last = new mp.Process({ target: (g: Int32Array) => { Atomics.wait(g, 1, 0); }, args: [gate] }); last.start(); console.log("blocked", last.isAlive());')
        process = km.provisioner.process
        kc.stop_channels()
        began = time.monotonic()
        km.shutdown_kernel(now=False)
        seen["returncode"] = process.wait(timeout=60)
        seen["shutdownSeconds"] = time.monotonic() - began
    finally:
        if km.is_alive():
            km.shutdown_kernel(now=True)
    print(json.dumps(seen))


main()
