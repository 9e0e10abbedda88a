// Writes small nbformat 4 notebooks for the tslab kernel.
import { writeFileSync } from "node:fs";

/** A code cell that already ran: its source and saved outputs (nbformat 4 output dicts). */
export interface ExecutedCell {
  source: string;
  outputs: Record<string, unknown>[];
}

function writeNotebook(path: string, cells: { source: string; outputs: Record<string, unknown>[]; executionCount: number | null }[]): void {
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" },
      language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" },
    },
    cells: cells.map((cell, i) => ({
      cell_type: "code",
      id: `cell-${i}`,
      metadata: {},
      execution_count: cell.executionCount,
      outputs: cell.outputs,
      source: cell.source,
    })),
  };
  writeFileSync(path, JSON.stringify(notebook, null, 1));
}

/** Writes a notebook of code cells that have not run yet. */
export function writeTslabNotebook(path: string, cells: string[]): void {
  writeNotebook(path, cells.map((source) => ({ source, outputs: [], executionCount: null })));
}

/** Writes a notebook with outputs already in it, as if run and saved: nothing needs to execute. */
export function writeExecutedNotebook(path: string, cells: ExecutedCell[]): void {
  writeNotebook(path, cells.map((cell, i) => ({ ...cell, executionCount: i + 1 })));
}

/** A `display_data` output carrying one MIME bundle. */
export function displayData(data: Record<string, unknown>): Record<string, unknown> {
  return { output_type: "display_data", data, metadata: {} };
}
