/**
 * The payload under a Lanes MIME type, as the renderer receives it. Kernels that can only send
 * strings (tslab's public `display.raw(mime, text)`) deliver the JSON as text, so parse it here;
 * `JSON.parse` builds plain data and never evaluates anything.
 */
export function readPayload(data: unknown): unknown {
  if (typeof data !== "string") return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}
