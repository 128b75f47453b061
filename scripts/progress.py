"""make progress: run the student's workspace notebooks headless and say what is solved.

    python scripts/progress.py [--workspace workspace] [--notebook-timeout 600] [--cell-timeout 120]

Each notebook runs in its own kernel, in memory: the files are only read, never
written. Cells that raise (the stubs, failing checks) do not stop the run. A cell
that exceeds the per-cell limit is interrupted and the run goes on; when the
notebook's own limit is reached, or the kernel dies, the remaining checks are
reported as not run, and the next notebook starts.

Which check belongs to which exercise (see AUTHORING.md, "Exercises"): an
exercise is announced in markdown by its label (``:label: ex-chNN-name`` in a
``{exercise}`` block in the book, ``<a id="ex-chNN-name"></a>`` in a workspace
copy); every code cell that calls ``chNN.check_<name>(`` (written as
``ch01.check_x``, ``checks.ch01.check_x`` or ``nnlib.checks.ch01.check_x``)
belongs to the last exercise announced before it. An exercise is solved when all
its check cells ran without an error and printed "✔ Correct!". An exercise
followed by no check cell is a written one, listed but not counted.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workspace import OPTION, ROOT, _split_blocks, chapter_number  # noqa: E402

CHECK_CALL = re.compile(r"(?<![\w.])(?:nnlib\.)?(?:checks\.)?ch(?P<chapter>\d+)\.check_\w+\s*\(")
ANCHOR = re.compile(r'<a\s+id="(?P<label>ex-[^"]+)"\s*>\s*</a>')
BOLD_TITLE = re.compile(r"\*\*Exercise (?P<number>\d+\.\d+)(?::\s*(?P<title>.*?))?\*\*")
PASSED = "\u2714 Correct!"
QUIET = logging.getLogger("progress.nbclient")
QUIET.setLevel(logging.CRITICAL)
QUIET.propagate = False


@dataclass
class Exercise:
    label: str
    number: str
    title: str
    cells: list[int] = field(default_factory=list)  # indices of its check cells
    verdict: str | None = None  # None: solved

    @property
    def checked(self) -> bool:
        return bool(self.cells)


@dataclass
class Report:
    name: str
    chapter: int
    exercises: list[Exercise] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # timeouts, a dead kernel, an unreadable file
    seconds: float = 0.0

    @property
    def checked(self) -> list[Exercise]:
        return [e for e in self.exercises if e.checked]

    @property
    def solved(self) -> list[Exercise]:
        return [e for e in self.checked if e.verdict is None]


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _exercises_in_markdown(text: str, chapter: int, count: int) -> list[tuple[str, str, str]]:
    """(label, number, title) of each exercise announced in one markdown cell."""
    found = []

    def walk(lines: list[str]) -> None:
        for kind, block in _split_blocks(lines):
            if kind == "directive":
                m, body = block
                if m.group("name") == "exercise":
                    label = next((OPTION.match(b).group("value") for b in body
                                  if OPTION.match(b) and OPTION.match(b).group("key") == "label"), None)
                    n = count + len(found) + 1
                    found.append((label or f"exercise-{chapter}.{n}", f"{chapter}.{n}", m.group("args")))
                walk(body)
            elif kind == "text":
                text = "\n".join(block)
                for a in ANCHOR.finditer(text):
                    after = BOLD_TITLE.search(text, a.end())
                    n = count + len(found) + 1
                    number = after.group("number") if after else f"{chapter}.{n}"
                    found.append((a.group("label"), number, (after.group("title") or "") if after else ""))

    walk(text.split("\n"))
    return found


def map_exercises(nb: dict, chapter: int) -> list[Exercise]:
    """The notebook's exercises, each with the indices of the check cells that follow it."""
    exercises: list[Exercise] = []
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") == "markdown":
            for label, number, title in _exercises_in_markdown(_source(cell), chapter, len(exercises)):
                exercises.append(Exercise(label, number, title))
        elif cell.get("cell_type") == "code" and exercises and CHECK_CALL.search(_source(cell)):
            exercises[-1].cells.append(index)
    return exercises


def _verdict(cell: dict) -> str | None:
    """None when the check passed; else what it said, in one line."""
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if errors:
        ename, evalue = errors[0].get("ename", "Error"), (errors[0].get("evalue") or "").strip()
        first = evalue.splitlines()[0] if evalue else ""
        if ename == "ExerciseFailure" and "is still the stub" in first:
            return "still the stub" + (" (NotImplementedError)" if "NotImplementedError" in first else "")
        if ename == "NotImplementedError":
            return "still the stub (NotImplementedError)"
        if ename == "ExerciseFailure":
            return first
        if ename == "KeyboardInterrupt":
            return "interrupted"
        return f"{ename}: {first}" if first else ename
    text = "".join(_source({"source": o.get("text", "")}) for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream")
    return None if PASSED in text else f"the check printed no verdict (no {PASSED!r})"


def run_notebook(path: Path, notebook_timeout: float, cell_timeout: float, kernel: str = "python3",
                 chapter: int | None = None, workdir: Path | None = None) -> Report:
    """Execute an in-memory copy of ``path`` and grade its exercises; the file is only read.

    ``chapter`` defaults to the number the file name starts with (scripts/grade.py reads it from
    the content instead); the kernel runs in ``workdir``, by default the notebook's folder.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    report = Report(path.name, chapter_number(path) if chapter is None else chapter)
    start = time.monotonic()
    try:
        nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # not JSON, not a notebook, cells missing
        report.problems.append(f"not a readable notebook ({type(exc).__name__}: {str(exc).splitlines()[0][:120]})")
        original = ROOT / "chapters" / path.name
        if original.exists():  # count what the student has to do in this chapter anyway
            report.exercises = map_exercises(json.loads(original.read_text(encoding="utf-8")), report.chapter)
            for e in report.exercises:
                e.verdict = "not run: the notebook could not be read"
        return report
    report.exercises = map_exercises(nb, report.chapter)
    if not any(e.checked for e in report.exercises):
        return report
    last_check = max(i for e in report.exercises for i in e.cells)
    ran: set[int] = set()
    timed_out: dict[int, int] = {}  # cell index -> the limit it exceeded
    index = 0
    stopped = None
    timeout_reply = {"ename": "CellTimeout", "evalue": f"the cell ran for more than {cell_timeout:g} s",
                     "traceback": []}
    cwd = str((workdir or path.parent).resolve())
    client = NotebookClient(nb, timeout=cell_timeout, kernel_name=kernel, allow_errors=True,
                            interrupt_on_timeout=True, error_on_timeout=timeout_reply, record_timing=False,
                            startup_timeout=120, resources={"metadata": {"path": cwd}})
    client.log = QUIET  # nbclient logs each timeout as an error; the report says it better
    try:
        with client.setup_kernel(stderr=subprocess.DEVNULL):  # the kernel's own warnings are noise here
            for index, cell in enumerate(nb.cells[:last_check + 1]):
                remaining = notebook_timeout - (time.monotonic() - start)
                if remaining <= 0:
                    stopped = f"the notebook's time limit of {notebook_timeout:g} s was reached before cell {index}"
                    break
                if cell.cell_type != "code":
                    continue
                client.timeout = max(1, int(min(cell_timeout, remaining)))
                timeout_reply["evalue"] = f"the cell ran for more than {client.timeout} s"
                began = time.monotonic()
                client.execute_cell(cell, index)
                ran.add(index)
                if time.monotonic() - began >= client.timeout or any(
                        o.get("ename") in ("CellTimeout", "KeyboardInterrupt") for o in cell.get("outputs", [])):
                    timed_out[index] = client.timeout
                    report.problems.append(f"cell {index} timed out after {client.timeout} s "
                                           "(an infinite loop?) and was interrupted")
    except DeadKernelError:
        stopped = f"the kernel died in cell {index}"
    except Exception as exc:  # kernel failed to start, lost connection...
        stopped = f"the run failed in cell {index}: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
    if stopped:
        report.problems.append(stopped)
    for e in report.exercises:
        for index in e.cells:
            if index not in ran:
                e.verdict = f"not run: {stopped}" if stopped else "not run"
                break
            verdict = _verdict(nb.cells[index])
            if index in timed_out:
                verdict = f"timed out: the check ran for more than {timed_out[index]} s (an infinite loop?)"
            if verdict is not None:
                e.verdict = verdict
                break
    report.seconds = time.monotonic() - start
    return report


def format_report(report: Report) -> list[str]:
    checked, solved = report.checked, report.solved
    written = [e for e in report.exercises if not e.checked]
    head = f"Chapter {report.chapter:>2}  {report.name:<38} {len(solved)}/{len(checked)} solved"
    if report.seconds:
        head += f"  ({report.seconds:.0f} s)"
    lines = [head]
    lines += [f"    ! {problem}" for problem in report.problems]
    for e in checked:
        if e.verdict is not None:
            lines.append(f"    - Exercise {e.number} {e.title}: {e.verdict}".replace("  ", " "))
    if written:
        lines.append(f"    (not checked, written answers: {', '.join('Exercise ' + e.number for e in written)})")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workspace", type=Path, default=Path("workspace"))
    parser.add_argument("--notebook-timeout", type=float, default=600, help="seconds per notebook (600)")
    parser.add_argument("--cell-timeout", type=float, default=120, help="seconds per cell (120)")
    parser.add_argument("--kernel", default="python3")
    parser.add_argument("notebooks", nargs="*", type=Path, help="only these notebooks of the workspace")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(args.workspace.glob("*.ipynb"))
    if not paths:
        print(f"No notebook in {args.workspace}/: run `make workspace` first.", file=sys.stderr)
        return 1
    total = solved = 0
    for path in paths:
        report = run_notebook(path, args.notebook_timeout, args.cell_timeout, args.kernel)
        print("\n".join(format_report(report)), flush=True)
        total += len(report.checked)
        solved += len(report.solved)
    print(f"{solved}/{total} exercises solved")
    return 0


if __name__ == "__main__":
    sys.exit(main())
