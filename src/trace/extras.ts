/**
 * What a timeline shows besides its spans: the slow-path waits of its threads (wait-store.ts) and the
 * depth of tracked queues (depth-track.ts), over the timeline's time window.
 */
import type { WaitV1 } from "../wire/mime";
import { depthTracksIn, type TrackWindow } from "./depth-track";
import { selectWaits } from "./wait-store";

export interface TimelineExtras {
  /** Times in ms since the timeline's origin, sorted by start. */
  readonly waits: readonly WaitV1[];
  /** Waits the threads recorded in the window but the log lost before they were read. */
  readonly lostWaits: number;
  readonly tracks: readonly TrackWindow[];
}

/**
 * The extras of a timeline over `[from, to]` (ms since the epoch), with times relative to `origin`;
 * `laneOf` maps the thread id of each lane to the lane.
 */
export function extrasFor(from: number, to: number, origin: number, laneOf: ReadonlyMap<number, number>): TimelineExtras {
  const { waits, lost } = selectWaits(from, to, origin, laneOf);
  return { waits, lostWaits: lost, tracks: depthTracksIn(from, to, origin) };
}
