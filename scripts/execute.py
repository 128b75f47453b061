"""Regenerate notebook outputs deterministically, in place.

Usage: ``python scripts/execute.py NOTEBOOK [NOTEBOOK ...]``

Each notebook runs in a fresh ``python3`` kernel from its own folder, with no
timing metadata, so that running it twice gives byte-identical files. The
traceback of an expected error (a cell tagged ``raises-exception``) is cut to its
last line, the error and its message, which is what a reader needs. The wall
time of each notebook is printed so that slow chapters are noticed.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

os.environ.setdefault("PYTHONHASHSEED", "0")
os.environ.pop("MPLBACKEND", None)  # notebooks draw with the inline backend


def coalesce_streams(outputs: list) -> list:
    """Join consecutive pieces of the same stream: how the kernel splits a print
    into messages depends on timing, and the stored file must not."""
    merged: list = []
    for output in outputs:
        if (
            output.get("output_type") == "stream"
            and merged
            and merged[-1].get("output_type") == "stream"
            and merged[-1]["name"] == output["name"]
        ):
            merged[-1]["text"] += output["text"]
        else:
            merged.append(output)
    return merged


def execute(path: Path) -> float:
    """Execute the notebook at ``path`` in place and return its wall time in seconds."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                # Keep the verdict, drop the stack frames: they hold this machine's paths
                # and say nothing a reader needs (nbval does not compare tracebacks).
                output["traceback"] = [f"\x1b[0;31m{output['ename']}\x1b[0m: {output['evalue']}"]
    nbformat.write(nb, path)
    return elapsed


def main(paths: list[str]) -> int:
    if not paths:
        print("usage: python scripts/execute.py NOTEBOOK [NOTEBOOK ...]", file=sys.stderr)
        return 2
    total = 0.0
    for name in paths:
        seconds = execute(Path(name))
        total += seconds
        print(f"{seconds:6.1f} s  {name}")
    print(f"{total:6.1f} s  total")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
