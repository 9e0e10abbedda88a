// What a user calls, and the types of what they pass and get back. Internals (span recording, the
// live progress display, the worker-side rebuild, the handler registry itself) stay out: tests and
// benches import them from their files.
export * from "./errors";
export { cpuCount } from "./cpu-count";
export { shipFunction, registerTransferHandler } from "./ship";
export type { ShipOptions, ShippedFunction, TaskFunction, TaskFunctionRef, TransferHandler } from "./ship";
export { Timeline, type TimelineSelection, type SpanInput, type TimelinePayloadOptions, trackDepth, type DepthTracker, type TrackDepthOptions } from "./trace";
export { show, bundleOf, NotDisplayableError, DISPLAY, isDisplayable, setDisplayAdapter, type ShowOptions, type Displayable, type MimeBundle, type DisplayAdapter, type TableDisplayOptions } from "./display";
export { TIMELINE_MIME, TABLE_MIME, type TimelinePayloadV1, type TablePayloadV1, type SpanV1, type WaitV1, type WaitKind, type DepthTrackV1, type TimelineKind } from "./wire";
export { Pool } from "./pool";
export type { PoolOptions, MapOptions, ImapOptions, ApplyOptions } from "./pool";
export { Value, RawValue, SharedValue, SharedArrayFactory as Array, SharedArrayFactory as SharedArray, RawArray, isSharedArray, TYPECODES, Lock, RLock, Semaphore, BoundedSemaphore, Event, Condition, Barrier, Queue, JoinableQueue, SimpleQueue } from "./shared";
export type { Typecode, ElementOf, TypedArrayOf, ValueOptions, SynchronizedOptions, AcquireOptions, AsyncWaitOptions, LockLike, BarrierOptions, SharedArray as SharedArrayOf, SharedArrayMethods, QueueOptions, QueueWaitOptions } from "./shared";
export { Process, EXIT_INTERRUPTED, EXIT_KILLED, EXIT_TERMINATED } from "./process";
export type { ProcessOptions, ProcessTimelineSelection } from "./process";
export { LocalCluster, LanesWorker } from "./distributed";
export type { LocalClusterOptions, RedisBackendOptions, LanesWorkerOptions, TlsSource } from "./distributed";
