"""Python peer for bench/pool-bench.ts: multiprocessing.Pool on the same tasks. Prints one JSON line."""
import json
import sys
import time
from multiprocessing import Pool


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


def inc(x):
    return x + 1


def main():
    case, n = sys.argv[1], int(sys.argv[2])
    with Pool(2) as pool:
        pool.map(inc, range(100))  # warm: processes started
        t = time.perf_counter()
        if case == "tiny-map":
            pool.map(inc, range(n))
        elif case == "imap":
            for _ in pool.imap(inc, range(n), 1):
                pass
        elif case == "imap-unordered":
            for _ in pool.imap_unordered(inc, range(n), 1):
                pass
        elif case == "primes":
            pool.map(count_primes, [int(sys.argv[3])] * n)
        seconds = time.perf_counter() - t
    print(json.dumps({"seconds": seconds}))


if __name__ == "__main__":
    main()
