/**
 * Displays through the tslab kernel this code runs in. tslab's public API sends one MIME type per
 * message; a full bundle needs its internal `lastWriteDisplayData` (dist/jupyter.js), so that is
 * feature-tested on every send and the public API is the fallback (notes/tslab.md, "Display").
 *
 * The kernel's own copy of tslab is the one reached through `globalThis.__tslab__.require`;
 * `require("tslab")` from a library would load a second, never-ready copy.
 */
import { dirname, join } from "node:path";
import type { DisplayAdapter } from "./adapter";
import { plainTextOf, type MimeBundle } from "./bundle";

/** tslab's public `Display` (the part used here). */
interface TslabDisplay {
  html(s: string): void;
  text(s: string): void;
}
interface TslabPublic {
  display: TslabDisplay;
  newDisplay(): TslabDisplay;
}
type WriteDisplayData = (message: { data: MimeBundle; metadata: Record<string, unknown>; transient: { display_id?: string } }, update: boolean) => void;

interface TslabGlobal {
  __tslab__?: { require?: (id: string) => unknown };
}

/** The kernel's public tslab module, when running inside tslab. */
export function kernelTslab(): TslabPublic | undefined {
  const req = (globalThis as TslabGlobal).__tslab__?.require;
  if (typeof req !== "function") return undefined;
  try {
    const pub = req("tslab") as Partial<TslabPublic> | undefined;
    return pub && typeof pub.newDisplay === "function" && pub.display ? (pub as TslabPublic) : undefined;
  } catch {
    return undefined;
  }
}

/** The kernel copy's internal jupyter module (`dist/jupyter.js` next to its public module), if loaded. */
function kernelJupyter(pub: TslabPublic): { lastWriteDisplayData?: unknown } | undefined {
  for (const [file, mod] of Object.entries(require.cache)) {
    if (mod?.exports !== pub) continue;
    // Only a module the kernel already loaded: requiring it afresh would give an unready copy.
    const jupyter = require.cache[join(dirname(file), "jupyter.js")]?.exports as { lastWriteDisplayData?: unknown } | undefined;
    if (jupyter && "lastWriteDisplayData" in jupyter) return jupyter;
  }
  return undefined;
}

export class TslabAdapter implements DisplayAdapter {
  readonly kind = "tslab" as const;
  private readonly jupyter: { lastWriteDisplayData?: unknown } | undefined;
  private readonly publicDisplays = new Map<string, TslabDisplay>();

  constructor(private readonly pub: TslabPublic) {
    this.jupyter = kernelJupyter(pub);
  }

  /** Whether full bundles go out (tslab's internals were found), rather than one MIME type. */
  get fullBundles(): boolean {
    return typeof this.jupyter?.lastWriteDisplayData === "function";
  }

  display(bundle: MimeBundle, id?: string): void {
    this.send(bundle, id, false);
  }

  update(bundle: MimeBundle, id: string): void {
    this.send(bundle, id, true);
  }

  private send(bundle: MimeBundle, id: string | undefined, update: boolean): void {
    // Read on every send: tslab replaces it for each executed cell.
    const write = this.jupyter?.lastWriteDisplayData;
    if (typeof write === "function") {
      (write as WriteDisplayData)({ data: bundle, metadata: {}, transient: id === undefined ? {} : { display_id: id } }, update);
      return;
    }
    let target = this.pub.display;
    if (id !== undefined) {
      target = this.publicDisplays.get(id) ?? this.pub.newDisplay();
      this.publicDisplays.set(id, target);
    }
    // One MIME type only: HTML where there is some (it renders in most front ends), else text.
    const html = bundle["text/html"];
    if (typeof html === "string") target.html(html);
    else target.text(plainTextOf(bundle));
  }
}
