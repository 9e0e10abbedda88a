export * from "./errors";
export { cpuCount } from "./cpu-count";
export { shipFunction, loadShippedFunction, registerTransferHandler, transferHandlers } from "./ship";
export type { ShipOptions, ShippedFunction, TaskFunction, TaskFunctionRef, TransferHandler } from "./ship";
export { SpanRecorder, Timeline, UnknownSpanError, now, type Clock, type CallRecord, type SpanRecorderOptions, type TaskOutcome, type TimelineSelection, type SpanInput, type TimelinePayloadOptions } from "./trace";
export { show, bundleOf, NotDisplayableError, DISPLAY, isDisplayable, setDisplayAdapter, startProgress, LiveProgress, type ShowOptions, type Displayable, type MimeBundle, type DisplayAdapter, type ProgressOptions, type TableDisplayOptions } from "./display";
export { TIMELINE_MIME, TABLE_MIME, type TimelinePayloadV1, type TablePayloadV1, type SpanV1 } from "./wire";
export { Pool } from "./pool";
export type { PoolOptions, MapOptions, ImapOptions, ApplyOptions } from "./pool";
