import type * as Inspector from "node:inspector";

/**
 * Reads variables of a function's closure (locals of enclosing functions, script- and module-scope
 * bindings) through `node:inspector`, synchronously and on the same thread: `[[Scopes]]` is visible
 * to the inspector protocol only. Returns the values of those of `names` it found, innermost scope
 * first; `undefined` when the inspector cannot be used (Node built without it, or a failure), so the
 * caller falls back to what it can resolve otherwise.
 */
export function readClosure(fn: object, names: readonly string[]): Map<string, unknown> | undefined {
  const session = connect();
  if (!session || names.length === 0) return session ? new Map() : undefined;
  const sink = globalThis as Record<symbol, unknown>;
  try {
    sink[PROBE] = fn;
    const fnId = post<{ result: Inspector.Runtime.RemoteObject }>(session, "Runtime.evaluate", {
      expression: `globalThis[Symbol.for(${JSON.stringify(PROBE_KEY)})]`,
      objectGroup: GROUP,
      silent: true,
    }).result.objectId;
    if (!fnId) return new Map();
    const own = post<Inspector.Runtime.GetPropertiesReturnType>(session, "Runtime.getProperties", { objectId: fnId, ownProperties: true });
    const scopesId = own.internalProperties?.find((p) => p.name === "[[Scopes]]")?.value?.objectId;
    if (!scopesId) return new Map();
    const scopes = post<Inspector.Runtime.GetPropertiesReturnType>(session, "Runtime.getProperties", { objectId: scopesId, ownProperties: true });

    const wanted = new Set(names);
    const found: [string, Inspector.Runtime.CallArgument][] = [];
    for (const scope of scopes.result) {
      const scopeId = scope.value?.objectId;
      // The global scope lists every global (slow), and globals are resolved without the inspector.
      if (!scopeId || scope.value?.description?.startsWith("Global")) continue;
      const vars = post<Inspector.Runtime.GetPropertiesReturnType>(session, "Runtime.getProperties", { objectId: scopeId, ownProperties: true });
      for (const v of vars.result) {
        if (!wanted.has(v.name) || !v.value) continue;
        wanted.delete(v.name);
        found.push([v.name, toCallArgument(v.value)]);
      }
      if (wanted.size === 0) break;
    }
    if (found.length === 0) return new Map();
    // Primitives came back with the scope listing: only objects need a call to reach them.
    if (found.every(([, arg]) => arg.objectId === undefined && arg.unserializableValue === undefined)) {
      return new Map(found.map(([name, arg]) => [name, arg.value]));
    }
    // Pull the values back into JavaScript in one call: the function receives them as arguments.
    post(session, "Runtime.callFunctionOn", {
      objectId: fnId,
      functionDeclaration: `function (...values) { globalThis[Symbol.for(${JSON.stringify(PROBE_KEY)})] = values; }`,
      arguments: found.map(([, arg]) => arg),
      silent: true,
    });
    const values = sink[PROBE] as unknown[];
    return new Map(found.map(([name], i) => [name, values[i]]));
  } catch {
    return undefined;
  } finally {
    delete sink[PROBE];
    try {
      post(session, "Runtime.releaseObjectGroup", { objectGroup: GROUP });
    } catch {
      // The group is released with the session anyway.
    }
  }
}

const PROBE_KEY = "lanes.ship.closureProbe";
const PROBE = Symbol.for(PROBE_KEY);
const GROUP = "lanes-ship";
let session: Inspector.Session | null | undefined;

function connect(): Inspector.Session | undefined {
  if (session === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional: Node may be built without the inspector
      const inspector = require("node:inspector") as typeof Inspector;
      const s = new inspector.Session();
      s.connect();
      session = s;
    } catch {
      session = null;
    }
  }
  return session ?? undefined;
}

function post<T>(s: Inspector.Session, method: string, params: object): T {
  let error: Error | null = null;
  let result: unknown;
  // A same-thread session answers synchronously: the callback has run when `post` returns.
  s.post(method, params, (err: Error | null, res: unknown) => {
    error = err;
    result = res;
  });
  if (error) throw error as Error;
  if (result === undefined) throw new Error(`inspector did not answer ${method} synchronously`);
  return result as T;
}

function toCallArgument(v: Inspector.Runtime.RemoteObject): Inspector.Runtime.CallArgument {
  if (v.objectId) return { objectId: v.objectId };
  if (v.unserializableValue !== undefined) return { unserializableValue: v.unserializableValue };
  if (v.type === "undefined") return {};
  return { value: v.value as unknown };
}
