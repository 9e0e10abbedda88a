import { formatCount, formatItems, formatMs } from "lanes/dist/display/format";
import type { Bar } from "./timeline-bars";
import { plotlyText } from "./plotly-text";

/**
 * The hover label of a bar, as plotly markup: `<br>` is ours, every payload string (call and
 * error names) is escaped.
 */
export function hoverText(bar: Bar, calls: readonly string[]): string {
  const call = plotlyText(calls[bar.call] ?? `call ${bar.call}`) + (bar.mixed ? " and others" : "");
  const outcome = bar.kind === "ok" ? "" : ` · ${bar.kind}${bar.error !== undefined ? `: ${plotlyText(bar.error)}` : ""}`;
  const lines = [`<b>${call}</b>${outcome}`];
  if (bar.tasks === 1) {
    lines.push(
      `${formatItems(bar.first, bar.last)} (${formatCount(bar.items)} item${bar.items === 1 ? "" : "s"})`,
      `duration ${formatMs(bar.end - bar.start)}: ${formatMs(bar.start)} → ${formatMs(bar.end)}`,
      `queue wait ${formatMs(bar.wait)}`,
    );
  } else {
    lines.push(
      `${formatCount(bar.tasks)} tasks, ${formatItems(bar.first, bar.last)} (${formatCount(bar.items)} items)`,
      `busy ${formatMs(bar.busy)} of ${formatMs(bar.end - bar.start)}: ${formatMs(bar.start)} → ${formatMs(bar.end)}`,
      `queue wait ${formatMs(bar.wait / bar.tasks)} on average`,
      "zoom in to see each task",
    );
  }
  if (bar.tasks === 1 && bar.exitCode !== undefined) lines.push(`exit code ${bar.exitCode}`);
  lines.push(`worker ${bar.lane}`);
  return lines.join("<br>");
}
