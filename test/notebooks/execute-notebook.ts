import { execFile } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";

const root = resolve(__dirname, "..", "..");
const python = join(root, ".venv", "bin", "python");

export interface NotebookOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

export interface NotebookRun {
  ok: boolean;
  cells: number;
  seconds: number;
  error?: string;
  failingCell?: number;
  source?: string;
  outputs?: NotebookOutput[];
  /** Where the executed copy (with every output) was written. */
  executedPath: string;
}

/** Runs a notebook in the real kernel through nbclient; resolves with what happened (never rejects on cell errors). */
export function executeNotebook(path: string, { kernel = "tslab", timeout = 120 } = {}): Promise<NotebookRun> {
  const outDir = join(root, "test-results", "notebooks");
  mkdirSync(outDir, { recursive: true });
  const executedPath = join(outDir, basename(path));
  return new Promise((resolvePromise, reject) => {
    execFile(
      python,
      [join(__dirname, "execute_notebook.py"), path, executedPath, kernel, String(timeout)],
      { cwd: root, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 },
      (err, stdout, stderr) => {
        const line = stdout.trim().split("\n").pop() ?? "";
        try {
          resolvePromise({ ...(JSON.parse(line) as Omit<NotebookRun, "executedPath">), executedPath });
        } catch {
          reject(new Error(`notebook runner gave no result for ${path}: ${err?.message ?? ""}\n${stderr}`));
        }
      },
    );
  });
}

/** Human-readable account of a failed run: the failing cell, its source and its error output. */
export function describeFailure(run: NotebookRun): string {
  const outputs = (run.outputs ?? [])
    .map((o) => (o.output_type === "error" ? `${o.ename ?? ""}: ${o.evalue ?? ""}` : Array.isArray(o.text) ? o.text.join("") : (o.text ?? "")))
    .join("\n");
  return [`cell ${run.failingCell ?? "?"} failed`, "── source ──", run.source ?? "", "── output ──", outputs, "── error ──", run.error ?? ""].join("\n");
}

/** Everything the executed notebook's cells printed or displayed as text, cell by cell. */
export function cellTexts(executedPath: string): string[] {
  const nb = JSON.parse(readFileSync(executedPath, "utf8")) as { cells: { cell_type: string; outputs?: NotebookOutput[] }[] };
  return nb.cells.map((cell) =>
    (cell.outputs ?? [])
      .map((o) => {
        const text = o.text ?? (o.data?.["text/plain"] as string | string[] | undefined) ?? "";
        return Array.isArray(text) ? text.join("") : text;
      })
      .join(""),
  );
}

/** Every MIME type the executed notebook's displays carry. */
export function displayedMimeTypes(executedPath: string): string[] {
  const nb = JSON.parse(readFileSync(executedPath, "utf8")) as { cells: { outputs?: NotebookOutput[] }[] };
  return [...new Set(nb.cells.flatMap((cell) => (cell.outputs ?? []).flatMap((o) => Object.keys(o.data ?? {}))))];
}
