"""Python peer of the round-trip benchmark: two multiprocessing.Queues between this process and one
echo Process, which puts back whatever it gets.

    python_round_trip.py ROUNDS WARM

Puts ("abc", i) and waits for its answer, WARM times off the clock, then ROUNDS times on it. Prints one
JSON line {"seconds": mean seconds of one round trip}.
"""
import json
import sys
import time
from multiprocessing import Process, Queue


def echo(requests, answers):
    while True:
        x = requests.get()
        if x is None:
            return
        answers.put(x)


def main():
    rounds, warm = int(sys.argv[1]), int(sys.argv[2])
    requests, answers = Queue(), Queue()
    p = Process(target=echo, args=(requests, answers))
    p.start()
    for i in range(warm):
        requests.put(("abc", i))
        answers.get()
    t = time.perf_counter()
    for i in range(rounds):
        requests.put(("abc", i))
        answers.get()
    seconds = (time.perf_counter() - t) / rounds
    requests.put(None)
    p.join()
    print(json.dumps({"seconds": seconds}))


if __name__ == "__main__":
    main()
