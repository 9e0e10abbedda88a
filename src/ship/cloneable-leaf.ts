/** Values structured clone copies faithfully and that hold nothing Lanes must look inside. */
const LEAF_PROTOS = new Set<object>([
  Date.prototype, RegExp.prototype, ArrayBuffer.prototype, SharedArrayBuffer.prototype, DataView.prototype, Boolean.prototype,
  Number.prototype, String.prototype, BigInt.prototype, Error.prototype, EvalError.prototype, RangeError.prototype,
  ReferenceError.prototype, SyntaxError.prototype, TypeError.prototype, URIError.prototype, Buffer.prototype,
]);

const TYPED_ARRAY_PROTO = Object.getPrototypeOf(Uint8Array.prototype) as object;

export function isCloneableLeaf(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as object | null;
  if (proto && LEAF_PROTOS.has(proto)) return true;
  // Typed arrays: their prototypes are the concrete ones (Float64Array.prototype …), not subclasses.
  return ArrayBuffer.isView(v) && proto !== null && Object.getPrototypeOf(proto) === TYPED_ARRAY_PROTO;
}
