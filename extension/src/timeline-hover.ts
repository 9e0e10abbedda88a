import { formatCount, formatItems, formatMs } from "lanes/dist/wire/format";
import { batchCount, workerLabel } from "lanes/dist/wire/timeline-labels";
import type { TimelineKind } from "lanes/dist/wire/mime";
import type { Bar } from "./timeline-bars";
import { plotlyText } from "./plotly-text";

/**
 * The hover label of a bar, as plotly markup: `<br>` is ours, every payload string (call and
 * error names, lane labels) is escaped. `laneLabels`: the payload's names of the lanes (a
 * cluster's `host:pid/threadId`), given whole here even where the axis cuts them.
 */
export function hoverText(bar: Bar, calls: readonly string[], laneLabels?: readonly string[], kind?: TimelineKind): string {
  const call = plotlyText(calls[bar.call] ?? `call ${bar.call}`) + (bar.mixed ? " and others" : "");
  const outcome = bar.kind === "ok" ? "" : ` · ${bar.kind}${bar.error !== undefined ? `: ${plotlyText(bar.error)}` : ""}`;
  const lines = [`<b>${call}</b>${outcome}`];
  if (kind === "processes") {
    // A Process is its lane's one bar: no items or batches to speak of; its lane is its name.
    lines.push(`ran ${formatMs(bar.end - bar.start)}: ${formatMs(bar.start)} → ${formatMs(bar.end)}`, `start-up ${formatMs(bar.wait)}`);
    if (bar.exitCode !== undefined) lines.push(`exit code ${bar.exitCode}`);
    return lines.join("<br>");
  }
  if (bar.batches === 1) {
    lines.push(
      `1 batch: ${formatItems(bar.first, bar.last)} (${formatCount(bar.items)} item${bar.items === 1 ? "" : "s"}) run back to back`,
      `duration ${formatMs(bar.end - bar.start)}: ${formatMs(bar.start)} → ${formatMs(bar.end)}`,
      `queue wait ${formatMs(bar.wait)}`,
    );
  } else {
    lines.push(
      `${batchCount(bar.batches)}, ${formatItems(bar.first, bar.last)} (${formatCount(bar.items)} items)`,
      `busy ${formatMs(bar.busy)} of ${formatMs(bar.end - bar.start)}: ${formatMs(bar.start)} → ${formatMs(bar.end)}`,
      `queue wait ${formatMs(bar.wait / bar.batches)} on average`,
      "zoom in to see each batch",
    );
  }
  if (bar.batches === 1 && bar.exitCode !== undefined) lines.push(`exit code ${bar.exitCode}`);
  lines.push(plotlyText(workerLabel(bar.lane, laneLabels)));
  return lines.join("<br>");
}
