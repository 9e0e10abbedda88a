"""Drives the real tslab kernel through jupyter_client: re-running a Pool cell, then shutdown and restart with work running.

    kernel_lifecycle.py CWD

Prints one JSON line: what each step saw. Used by test/notebooks/kernel-lifecycle.test.ts.
"""
import json
import os
import sys
import threading
import time

# How long a condition may take to come true on a loaded machine before the driver reports it as never.
PATIENCE = 60.0

from jupyter_client.manager import start_new_kernel

from kernel_client import TIMEOUT, execute


def wait_for_stdout(kc, msg_id, text, timeout=TIMEOUT):
    """Reads iopub until the cell `msg_id` printed `text` (the cell goes on running)."""
    deadline = time.monotonic() + timeout
    seen = ""
    while time.monotonic() < deadline:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
            seen += msg["content"]["text"]
            if text in seen:
                return True
    return False


def threads(pid):
    return len(os.listdir(f"/proc/{pid}/task"))


def children(pid):
    """Processes whose parent is `pid`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(entry))
        except OSError:
            pass
    return found


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_exit(process, timeout=PATIENCE):
    """Seconds until `process` (a Popen) exited by itself, or None."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if process.poll() is not None:
            return time.monotonic() - began
        time.sleep(0.01)
    return None


BUSY = "\n".join([
    # Two pools and two Processes, every thread in an endless loop; the cell awaits none of them. Each spinner bumps
    # a shared counter before it spins, so the cell knows all five run (2 + 1 pool workers, 2 Processes) without a sleep.
    'const started = mp.RawArray("i", 1);',
    "const spin = (): number => { const v = started.toTypedArray(); Atomics.add(v, 0, 1); Atomics.notify(v, 0); for (;;); };",
    "const busyA = new mp.Pool(2); const busyB = new mp.Pool(1);",
    "void busyA.map(spin, [1, 2, 3]).catch(() => undefined); void busyB.apply(spin).catch(() => undefined);",
    "const procs = [0, 1].map(() => new mp.Process({ target: spin })); procs.forEach((p) => p.start());",
    "const seen = started.toTypedArray();",
    "for (let n = Atomics.load(seen, 0); n < 5; n = Atomics.load(seen, 0)) await Atomics.waitAsync(seen, 0, n).value;",
    'console.log("busy", procs.map((p) => p.isAlive()).join(","), Atomics.load(seen, 0));',
])

RERUN = 'const p = new mp.Pool(2);\nconsole.log("sum", (await p.map((x: number) => x * 2, [1, 2, 3, 4])).reduce((a, b) => a + b, 0));'


def main():
    cwd = sys.argv[1]
    seen = {}

    # 1. Ten re-runs of a cell creating a Pool: the kernel's thread count stays bounded.
    km, kc = start_new_kernel(kernel_name="tslab", cwd=cwd)
    try:
        pid = km.provisioner.process.pid
        seen["import"] = execute(kc, 'import * as mp from "lanes";')
        seen["before"] = threads(pid)
        runs = []
        for i in range(10):
            runs.append(execute(kc, RERUN))
            if i == 0:
                seen["afterFirst"] = threads(pid)
        seen["runs"] = runs
        seen["afterTenth"] = threads(pid)
        # The closed pools' workers finish and exit a moment after their pool was closed.
        began = time.monotonic()
        while threads(pid) > seen["afterFirst"] and time.monotonic() - began < PATIENCE:
            time.sleep(0.05)
        seen["settled"] = threads(pid)
        seen["settleSeconds"] = time.monotonic() - began
        # A pool still held under another name is left alone.
        execute(kc, "const keep = p;")
        seen["keptRerun"] = execute(kc, RERUN)
        seen["kept"] = execute(kc, 'console.log("kept", (await keep.map((x: number) => x + 1, [1]))[0]);')

        # 2. Shutdown with tasks running in two pools and two Processes: the kernel exits by itself.
        seen["busy"] = execute(kc, BUSY)
        seen["busyThreads"] = threads(pid)
        kids = children(pid)
        process = km.provisioner.process
        kc.stop_channels()
        km.request_shutdown()
        seen["shutdownSeconds"] = wait_exit(process)
        seen["shutdownCode"] = process.poll()
        seen["orphans"] = [k for k in kids if alive(k)]
    finally:
        if km.is_alive():
            km.shutdown_kernel(now=True)

    # 3. Restart while a cell awaits endless work.
    km, kc = start_new_kernel(kernel_name="tslab", cwd=cwd)
    try:
        execute(kc, 'import * as mp from "lanes";')
        msg_id = kc.execute('const pool = new mp.Pool(2);\nconsole.log("started");\nawait pool.map((): number => { for (;;); }, [1, 2]);')
        seen["restartStarted"] = wait_for_stdout(kc, msg_id, "started")
        old = km.provisioner.process
        kids = children(old.pid)
        timing = {}

        def watch():
            timing["seconds"] = wait_exit(old)

        watcher = threading.Thread(target=watch)
        watcher.start()
        km.restart_kernel(now=False)
        watcher.join()
        seen["restartSeconds"] = timing.get("seconds")
        seen["restartCode"] = old.poll()
        seen["restartOrphans"] = [k for k in kids if alive(k)]
        kc.stop_channels()
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=TIMEOUT)
        seen["afterRestart"] = execute(kc, 'import * as mp from "lanes";\nconsole.log("again", await mp.Pool.with(1, (q) => q.apply(() => 7)));')
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    print(json.dumps(seen))


main()
