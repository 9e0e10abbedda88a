// Raw piscina peer for bench/pool-bench.ts: the same tasks, hand-written, one message per run().
"use strict";
function countPrimes(limit) {
  let count = 0;
  for (let n = 2; n < limit; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return count;
}
module.exports = function task(msg) {
  switch (msg.kind) {
    case "inc":
      return msg.x + 1;
    case "chunk":
      return msg.xs.map((x) => (typeof x === "number" ? x + 1 : x));
    case "wrap":
      return msg.xs.map((o) => ({ y: o.x + 1 }));
    case "primes":
      return countPrimes(msg.limit);
    case "one":
      return 1;
  }
};
