/** A display adapter that keeps what it is sent, for counting displays and updates. */
import type { DisplayAdapter } from "../../src/display/adapter";
import type { MimeBundle } from "../../src/display/bundle";

export interface Sent {
  kind: "display" | "update";
  bundle: MimeBundle;
  id: string | undefined;
}

export function fakeAdapter(kind: DisplayAdapter["kind"] = "custom"): DisplayAdapter & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    kind,
    sent,
    display: (bundle, id) => sent.push({ kind: "display", bundle, id }),
    update: (bundle, id) => sent.push({ kind: "update", bundle, id }),
  };
}
