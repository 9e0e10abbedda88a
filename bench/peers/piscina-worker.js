// Raw piscina peer: the same tasks as bench/lib/tasks.ts, hand-written, one message per run().
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
function spin(ms) {
  const end = performance.now() + ms;
  while (performance.now() < end);
  return ms;
}
const bump = (r) => ({ id: r.id, name: r.name, value: r.value + 1 });
module.exports = function task(msg) {
  switch (msg.kind) {
    case "inc":
      return msg.x + 1;
    case "inc-chunk":
      return msg.xs.map((x) => x + 1);
    case "bump":
      return bump(msg.r);
    case "bump-chunk":
      return msg.xs.map(bump);
    case "primes":
      return countPrimes(msg.limit);
    case "primes-chunk":
      return msg.xs.map(countPrimes);
    case "spin":
      return spin(msg.ms);
    case "spin-chunk":
      return msg.xs.map(spin);
    case "one":
      return 1;
    default:
      throw new Error(`piscina-worker: unknown kind ${msg.kind}`);
  }
};
