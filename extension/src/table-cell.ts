import { formatNumber } from "lanes/dist/wire/format";
import type { CellV1 } from "lanes/dist/wire/mime";

/** A cell's text and class (numbers align right, nulls are dimmed). Always text, never markup. */
export function formatCell(cell: CellV1 | undefined): { text: string; className: string } {
  if (cell === null || cell === undefined) return { text: "null", className: "lanes-Cell lanes-Null" };
  if (typeof cell === "number") return { text: formatNumber(cell), className: "lanes-Cell lanes-Number" };
  if (typeof cell === "boolean") return { text: String(cell), className: "lanes-Cell lanes-Boolean" };
  return { text: String(cell), className: "lanes-Cell" };
}
