/**
 * Names every worker thread already has as globals (ECMAScript, Node 20 and the web APIs Node
 * exposes), read from a fresh `worker_threads` Worker. A free name in this list is left free: the
 * worker's own global answers it. Names a user put on `globalThis` in the kernel are not here: they
 * are captured like any other value.
 */
export const STANDARD_GLOBALS: ReadonlySet<string> = new Set([
  "AbortController", "AbortSignal", "AggregateError", "Array", "ArrayBuffer", "Atomics", "BigInt", "BigInt64Array",
  "BigUint64Array", "Blob", "Boolean", "BroadcastChannel", "Buffer", "ByteLengthQueuingStrategy", "CompressionStream",
  "CountQueuingStrategy", "Crypto", "CryptoKey", "CustomEvent", "DOMException", "DataView", "Date", "DecompressionStream",
  "Error", "EvalError", "Event", "EventTarget", "File", "FinalizationRegistry", "Float32Array", "Float64Array", "FormData",
  "Function", "Headers", "Infinity", "Int16Array", "Int32Array", "Int8Array", "Intl", "Iterator", "JSON", "Map", "Math",
  "MessageChannel", "MessageEvent", "MessagePort", "NaN", "Navigator", "Number", "Object", "Performance", "PerformanceEntry",
  "PerformanceMark", "PerformanceMeasure", "PerformanceObserver", "PerformanceObserverEntryList",
  "PerformanceResourceTiming", "Promise", "Proxy", "RangeError", "ReadableByteStreamController", "ReadableStream",
  "ReadableStreamBYOBReader", "ReadableStreamBYOBRequest", "ReadableStreamDefaultController",
  "ReadableStreamDefaultReader", "ReferenceError", "Reflect", "RegExp", "Request", "Response", "Set",
  "SharedArrayBuffer", "String", "SubtleCrypto", "Symbol", "SyntaxError", "TextDecoder", "TextDecoderStream",
  "TextEncoder", "TextEncoderStream", "TransformStream", "TransformStreamDefaultController", "TypeError", "URIError",
  "URL", "URLSearchParams", "Uint16Array", "Uint32Array", "Uint8Array", "Uint8ClampedArray", "WeakMap", "WeakRef",
  "WeakSet", "WebAssembly", "WritableStream", "WritableStreamDefaultController", "WritableStreamDefaultWriter", "atob",
  "btoa", "clearImmediate", "clearInterval", "clearTimeout", "console", "crypto", "decodeURI", "decodeURIComponent",
  "encodeURI", "encodeURIComponent", "escape", "eval", "fetch", "global", "globalThis", "isFinite", "isNaN",
  "navigator", "parseFloat", "parseInt", "performance", "process", "queueMicrotask", "setImmediate", "setInterval",
  "setTimeout", "structuredClone", "undefined", "unescape",
]);
