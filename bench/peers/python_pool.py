"""Python peer: multiprocessing.Pool on the same tasks as bench/lib/tasks.ts.

    python_pool.py CASE WORKERS '{"n": 1000, ...}'

Starts Pool(WORKERS), warms it, times one run of CASE, prints one JSON line {"seconds": s, "check": x}.
Inputs are built before the clock starts, as on the JavaScript side.
"""
import json
import sys
import time
from multiprocessing import Event, Pool, Process


def count_primes(limit):
    count = 0
    for n in range(2, limit):
        d = 2
        prime = True
        while d * d <= n:
            if n % d == 0:
                prime = False
                break
            d += 1
        if prime:
            count += 1
    return count


def spin(ms):
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        pass
    return ms


def inc(x):
    return x + 1


def bump(r):
    return {"id": r["id"], "name": r["name"], "value": r["value"] + 1}


def one(_):
    return 1


def locked_inc(v, go, n):
    go.wait()
    lock = v.get_lock()
    for _ in range(n):
        with lock:
            v.value += 1


def locked_increments(workers, n):
    """WORKERS processes x n increments of one Value('i') under its get_lock(); timed from go to join."""
    from multiprocessing import Event, Process, Value
    v = Value("i", 0)
    go = Event()
    procs = [Process(target=locked_inc, args=(v, go, n)) for _ in range(workers)]
    for pr in procs:
        pr.start()
    t = time.perf_counter()
    go.set()
    for pr in procs:
        pr.join()
    seconds = time.perf_counter() - t
    print(json.dumps({"seconds": seconds, "check": v.value}))


def set_event(event):
    event.set()


def main():
    case, workers, p = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
    if case == "locked-inc":
        locked_increments(workers, p["n"])
        return
    if case == "startup":
        t = time.perf_counter()
        pool = Pool(workers)
        pool.apply(one, (0,))
        seconds = time.perf_counter() - t
        pool.terminate()
        print(json.dumps({"seconds": seconds, "check": 1}))
        return
    if case == "process-startup":
        event = Event()
        t = time.perf_counter()
        proc = Process(target=set_event, args=(event,))
        proc.start()
        event.wait()
        seconds = time.perf_counter() - t
        proc.join()
        print(json.dumps({"seconds": seconds, "check": 1}))
        return
    n = p.get("n", 0)
    if case in ("map-inc", "imap", "imap-unordered"):
        items = list(range(n))
    elif case == "map-records":
        items = [{"id": i, "name": f"item-{i}", "value": i * 0.5} for i in range(n)]
    elif case == "primes":
        items = [p["limit"]] * n
    elif case == "skewed":
        items = p["ms"]
    else:
        raise SystemExit(f"python_pool.py: unknown case {case}")
    with Pool(workers) as pool:
        pool.map(inc, range(100 * workers))  # warm: every process started
        t = time.perf_counter()
        if case == "map-inc":
            out = pool.map(inc, items)
        elif case == "map-records":
            out = pool.map(bump, items)
        elif case == "primes":
            out = pool.map(count_primes, items)
        elif case == "skewed":
            out = pool.map(spin, items)
        elif case == "imap":
            out = list(pool.imap(inc, items, 1))
        else:
            out = list(pool.imap_unordered(inc, items, 1))
        seconds = time.perf_counter() - t
    print(json.dumps({"seconds": seconds, "check": len(out)}))


if __name__ == "__main__":
    main()
