/** Span recording and timelines (re-exports only). */
export { now, type Clock } from "./clock";
export { SpanRecorder, UnknownSpanError, type CallRecord, type SpanRecorderOptions, type TaskOutcome, type TimelineSelection } from "./span-recorder";
export { Timeline, type SpanInput, type TimelineInit, type TimelinePayloadOptions } from "./timeline";
export { trackDepth, type DepthTracker, type TrackDepthOptions, type Sizable } from "./depth-track";
