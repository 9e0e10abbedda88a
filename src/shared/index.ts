import * as handlers from "./handlers";
import * as array from "./array";
import * as barrier from "./barrier";
import * as condition from "./condition";
import * as event from "./event";
import * as lock from "./lock";
import * as rlock from "./rlock";
import * as semaphore from "./semaphore";
import * as value from "./value";
import * as queue from "./queue";
import * as joinableQueue from "./joinable-queue";
import * as simpleQueue from "./simple-queue";
import { listenForWorkers } from "./owners";
import { useHandlers } from "./register";

useHandlers(handlers);
handlers.useSharedModules({ array, barrier, condition, event, lock, rlock, semaphore, value, queue, joinableQueue, simpleQueue });

// On the kernel thread: see every worker start from now on, to break locks a dead one held.
listenForWorkers();

export { TYPECODES, type Typecode, type NumberTypecode, type BigIntTypecode, type ElementOf, type TypedArrayOf } from "./typecodes";
export { Value, RawValue, SharedValue, type ValueOptions, type ValueFactory, type RawValueFactory } from "./value";
export { SharedArrayFactory, RawArray, isSharedArray, type SharedArray, type SharedArrayMethods, type ArrayFactory, type RawArrayFactory } from "./array";
export type { SynchronizedOptions } from "./lock-option";
export type { AcquireOptions, AsyncWaitOptions, LockLike } from "./options";
export { Lock } from "./lock";
export { RLock } from "./rlock";
export { Semaphore, BoundedSemaphore } from "./semaphore";
export { Event } from "./event";
export { Condition } from "./condition";
export { Barrier, type BarrierOptions } from "./barrier";
export { isShared, toWire, fromWire, type SharedObject, type SharedWire } from "./handlers";
export { SHARED_HANDLER } from "./register";
export { pendingAsyncWaits } from "./wait";
export { packShared, reviveShared, packArgs, reviveArgs, SHARED_MARK } from "./revive";
export { Queue, type QueueOptions, type QueueWaitOptions } from "./queue";
export { JoinableQueue } from "./joinable-queue";
export { SimpleQueue } from "./simple-queue";
