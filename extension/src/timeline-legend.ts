import { CANCELLED_COLOUR, DEPTH_COLOUR, ERROR_COLOUR, LOCK_WAIT_COLOUR, OTHER_WAIT_COLOUR, callColour } from "lanes/dist/wire/colours";
import { LOCK_WAIT_LABEL, OTHER_WAIT_LABEL, trackLabel } from "lanes/dist/wire/timeline-labels";
import { isLockKind } from "lanes/dist/wire/wait-codec";
import { element } from "./dom";
import type { LaneModel } from "./timeline-lanes";
import type { Extras } from "./timeline-waits";

/**
 * The legend, in the page rather than in plotly: call names can be long, and plotly's legend would
 * wrap over the lanes (and catch the hover meant for the bars). Text nodes only.
 */
export function fillLegend(node: HTMLElement, calls: readonly string[], model: LaneModel, extras?: Extras): void {
  const used = new Set<number>();
  const kinds = new Set<string>();
  for (const lane of model.lanes) {
    for (const s of lane) {
      used.add(s.call);
      kinds.add(s.kind);
    }
  }
  const entries: { colour: string; label: string; opacity?: string }[] = [...used].sort((a, b) => a - b).map((call) => ({ colour: callColour(call), label: calls[call] ?? `call ${call}` }));
  if (kinds.has("error")) entries.push({ colour: ERROR_COLOUR, label: "failed" });
  if (kinds.has("cancelled")) entries.push({ colour: CANCELLED_COLOUR, label: "cancelled" });
  if (kinds.has("running")) entries.push({ colour: callColour(0), label: "running", opacity: "0.55" });
  // Waits and depth tracks: optional payload fields, absent in older payloads.
  if (extras?.waits.some((w) => isLockKind(w.kind))) entries.push({ colour: LOCK_WAIT_COLOUR, label: LOCK_WAIT_LABEL });
  if (extras?.waits.some((w) => !isLockKind(w.kind))) entries.push({ colour: OTHER_WAIT_COLOUR, label: OTHER_WAIT_LABEL });
  for (const t of extras?.tracks ?? []) entries.push({ colour: DEPTH_COLOUR, label: trackLabel(t) });
  node.replaceChildren(
    ...entries.map((entry) => {
      const item = element("span", "lanes-LegendItem");
      const swatch = element("span", "lanes-Swatch");
      swatch.style.background = entry.colour;
      if (entry.opacity) swatch.style.opacity = entry.opacity;
      const label = element("span", "lanes-LegendLabel", entry.label);
      label.title = entry.label;
      item.append(swatch, label);
      return item;
    }),
  );
}
