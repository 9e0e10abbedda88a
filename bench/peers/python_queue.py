"""Python peer: multiprocessing.Queue between producer and consumer processes.

    python_queue.py PRODUCERS CONSUMERS '{"n": 100000, "payload": "tuple"}'

Starts every process first (they wait on an Event), then times from the Event until every consumer has
taken its share: n items per producer, each consumer stopping at its sentinel. Prints one JSON line
{"seconds": s, "check": items_taken}.
"""
import json
import sys
import time
from multiprocessing import Event, Process, Queue


def item(payload, i):
    if payload == "int":
        return i
    if payload == "tuple":
        return ("abc", i)
    return {"id": i, "name": "ada", "value": 0.5, "ok": True}


def produce(q, go, n, payload):
    go.wait()
    for i in range(n):
        q.put(item(payload, i))


def consume(q, done, go):
    go.wait()
    taken = 0
    while q.get() is not None:
        taken += 1
    done.put(taken)


def main():
    producers, consumers, p = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
    n, payload = p["n"], p["payload"]
    q, done, go = Queue(), Queue(), Event()
    cons = [Process(target=consume, args=(q, done, go)) for _ in range(consumers)]
    prods = [Process(target=produce, args=(q, go, n, payload)) for _ in range(producers)]
    for proc in cons + prods:
        proc.start()
    time.sleep(0.5)  # every process is started and waiting on the Event (not timed)
    t = time.perf_counter()
    go.set()
    for proc in prods:
        proc.join()
    for _ in cons:
        q.put(None)
    taken = sum(done.get() for _ in cons)
    seconds = time.perf_counter() - t
    for proc in cons:
        proc.join()
    print(json.dumps({"seconds": seconds, "check": taken}))


if __name__ == "__main__":
    main()
