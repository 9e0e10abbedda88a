/**
 * Escaping for the static HTML fallbacks. Every string that came from the user (column names,
 * cell values, function names, error names) goes through here before it meets markup: a notebook
 * is shared, and its HTML output is rendered by GitHub, nbviewer and VS Code.
 */

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };

/** Escapes text for HTML element content and for quoted attribute values alike. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'`]/g, (c) => ENTITIES[c] ?? c);
}
