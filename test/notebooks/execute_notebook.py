"""Executes one notebook top to bottom in a real Jupyter kernel (nbclient) and prints one JSON line.

Used by test/notebooks/*.test.ts. The JSON says whether every cell ran without error and, if not,
which cell failed, its source and its error output, so a failing test shows the failing cell.
"""
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError


def main() -> None:
    path, out_path, kernel = sys.argv[1], sys.argv[2], sys.argv[3]
    timeout = int(sys.argv[4]) if len(sys.argv) > 4 else 120
    nb = nbformat.read(path, as_version=4)
    # The kernel runs in the notebook's folder, as in JupyterLab: local imports (./helpers) resolve from there.
    resources = {"metadata": {"path": os.path.dirname(os.path.abspath(path))}}
    client = NotebookClient(nb, kernel_name=kernel, timeout=timeout, allow_errors=False, record_timing=True, resources=resources)
    result = {"ok": True, "cells": len(nb.cells)}
    failed = []
    # tslab reports errors on stderr rather than as "error" outputs: ask nbclient which cell failed.
    client.on_cell_error = lambda cell, cell_index, execute_reply: failed.append(cell_index)
    started = time.monotonic()
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError) as err:
        result["ok"] = False
        result["error"] = str(err)[-4000:]
        if failed:
            cell = nb.cells[failed[0]]
            result["failingCell"] = failed[0]
            result["source"] = cell.source
            result["outputs"] = cell.get("outputs", [])
    except Exception as err:  # kernel died, could not start, …: still report, never hang
        result["ok"] = False
        result["error"] = f"{type(err).__name__}: {err}"
    result["seconds"] = round(time.monotonic() - started, 2)
    nbformat.write(nb, out_path)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
