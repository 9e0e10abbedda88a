/**
 * Bar colours. Same values as the static SVG picture the kernel sends (src/display/timeline-svg.ts),
 * so a timeline looks the same in JupyterLab and on GitHub.
 */
const PALETTE = ["#4c78a8", "#72b7b2", "#54a24b", "#b279a2", "#9d755d", "#eeca3b"];
export const ERROR_COLOUR = "#e45756";
export const CANCELLED_COLOUR = "#bab0ac";

/** One colour per call, cycled. */
export function callColour(call: number): string {
  return PALETTE[((call % PALETTE.length) + PALETTE.length) % PALETTE.length]!;
}
