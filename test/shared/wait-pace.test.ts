import { describe, expect, it } from "vitest";
import { STREAM_AFTER, STREAM_MIN, WaitPace } from "../../src/shared/wait-pace";

describe("WaitPace (how a worker waits for items on an empty queue)", () => {
  it("takes items for a stream only after STREAM_AFTER spins in a row found one", () => {
    const pace = new WaitPace();
    for (let i = 1; i < STREAM_AFTER; i++) pace.spinHit();
    expect(pace.streaming).toBe(false);
    pace.spinHit();
    expect(pace.streaming).toBe(true);
  });

  it("starts counting again after a spin that found nothing", () => {
    const pace = new WaitPace();
    for (let i = 1; i < STREAM_AFTER; i++) pace.spinHit();
    pace.spinMissed();
    for (let i = 1; i < STREAM_AFTER; i++) pace.spinHit();
    expect(pace.streaming).toBe(false);
  });

  it("keeps streaming while naps come back to batches, and stops at a thin one or an idle wait", () => {
    const pace = new WaitPace();
    for (let i = 0; i < STREAM_AFTER; i++) pace.spinHit();
    pace.napped(STREAM_MIN);
    expect(pace.streaming).toBe(true);
    pace.napped(STREAM_MIN - 1);
    expect(pace.streaming).toBe(false);
    for (let i = 0; i < STREAM_AFTER; i++) pace.spinHit();
    pace.idle();
    expect(pace.streaming).toBe(false);
    // Idle also forgets the hits before it.
    for (let i = 1; i < STREAM_AFTER; i++) pace.spinHit();
    pace.idle();
    pace.spinHit();
    expect(pace.streaming).toBe(false);
  });
});
