"""make grade: run the exercise checks over a class's submitted notebooks; write a CSV and a summary.

    python scripts/grade.py SUBMISSIONS [--out grades.csv] [--jobs 1]
                            [--notebook-timeout 600] [--cell-timeout 120]

The student. Each first-level subfolder of SUBMISSIONS is a student, named by the
folder; every file under it, at any depth and with any name, is theirs. A file
lying directly in SUBMISSIONS is a student of its own, named by the file's stem.
Hidden files and folders (``.ipynb_checkpoints``, ``.DS_Store``) and
``__MACOSX`` are skipped; any other file that does not end in ``.ipynb`` gets a
row "not graded".

The chapter, from the content, never the file name, so a renamed copy is graded
as its chapter: the chapter whose exercise labels the notebook announces
(``:label: ex-chNN-...`` in the book's form, ``<a id="ex-chNN-...">`` in a
workspace copy), the most of them; failing that, the chapter of its check calls
(``chNN.check_...(``); failing that, the number in its first cell's title
"# N. Title". A file that is not valid JSON is searched as text for the same
clues. A notebook that names no chapter of the course gets one row, "not a
chapter of the course".

What is graded: the exercises that have a check cell in the course's own chapter
(``chapters/NN_*.ipynb``; mapped as scripts/progress.py does, see AUTHORING.md,
"Exercises"). Each notebook runs as in ``make progress`` (scripts/progress.py):
in memory, in its own kernel, in an empty temporary folder, with a time limit
per cell and per notebook; the submitted files are only read. Each exercise of
the chapter gets one row: passed 1 and "correct", or passed 0 and the check's
verdict (still the stub, the first line of its message, timed out, not run
because the kernel died or the time ran out), "missing: ..." when the exercise
or its check cell was deleted, "not run: ..." when the file is not a readable
notebook. A student with no notebook of a chapter that others submitted gets
"not submitted" rows for it, so every student has the same total. With several
notebooks of one chapter, each gets its rows, and the summary counts an exercise
solved when one of them solves it.

CSV columns: student, chapter, exercise (its label), passed (1 or 0), verdict,
file (relative to SUBMISSIONS).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from progress import CHECK_CALL, ROOT, Exercise, chapter_number, map_exercises, run_notebook  # noqa: E402

COLUMNS = ("student", "chapter", "exercise", "passed", "verdict", "file")
# An exercise announced: ":label: ex-ch07-xor" or '<a id="ex-ch07-xor">' (quotes escaped in raw JSON).
LABEL = re.compile(r'(?::label:[ \t]*|<a\s+id=\\?")ex-ch(?P<chapter>\d+)-')
TITLE = re.compile(r"^\s*#\s+(?P<chapter>\d+)\.\s")
RAW_TITLE = re.compile(r'"source":\s*\[?\s*"\s*#\s+(?P<chapter>\d+)\.\s')
SKIPPED = ("__MACOSX",)


@dataclass(frozen=True)
class Row:
    student: str
    chapter: int | None
    exercise: str
    passed: bool
    verdict: str
    file: str

    def csv(self) -> list[str]:
        return [self.student, "" if self.chapter is None else str(self.chapter), self.exercise,
                "1" if self.passed else "0", self.verdict, self.file]


def course_exercises(course: Path) -> dict[int, list[Exercise]]:
    """Chapter number -> its exercises that have a check, from the course's chapter notebooks."""
    out = {}
    for path in sorted(course.glob("*.ipynb")):
        n = chapter_number(path)
        if n:
            out[n] = [e for e in map_exercises(json.loads(path.read_text(encoding="utf-8")), n) if e.checked]
    return out


def find_submissions(folder: Path, exclude: Path | None = None) -> list[tuple[str, Path]]:
    """(student, file) for every submitted file, sorted."""
    def visible(path: Path) -> bool:
        return not any(part.startswith(".") or part in SKIPPED for part in path.relative_to(folder).parts)

    found = []
    for entry in sorted(folder.iterdir()):
        if not visible(entry):
            continue
        files = sorted(p for p in entry.rglob("*") if p.is_file() and visible(p)) if entry.is_dir() else [entry]
        student = entry.name if entry.is_dir() else entry.stem
        found += [(student, p) for p in files if exclude is None or p.resolve() != exclude.resolve()]
    return found


def identify_chapter(text: str, nb: dict | None) -> int | None:
    """The chapter a notebook is, from its exercise labels, else its check calls, else its title."""
    for pattern in (LABEL, CHECK_CALL):
        votes = Counter(int(m.group("chapter")) for m in pattern.finditer(text))
        if votes:
            return votes.most_common(1)[0][0]
    if nb is not None:
        cells = nb.get("cells") or [{}]
        source = cells[0].get("source", "") if isinstance(cells[0], dict) else ""
        m = TITLE.match("".join(source) if isinstance(source, list) else str(source))
    else:
        m = RAW_TITLE.search(text)
    return int(m.group("chapter")) if m else None


def grade_file(student: str, path: Path, root: Path, course: dict[int, list[Exercise]],
               notebook_timeout: float, cell_timeout: float, kernel: str = "python3"
               ) -> tuple[int | None, list[Row], list[str]]:
    """(chapter, rows, notes) for one submitted file; the file is only read."""
    name = path.relative_to(root).as_posix()
    if path.suffix.lower() != ".ipynb":
        return None, [Row(student, None, "", False, "not graded: not an .ipynb file", name)], []
    text = path.read_bytes().decode("utf-8", errors="replace")
    nb, unreadable = None, None
    try:
        nb = json.loads(text)
        if not isinstance(nb, dict):
            nb, unreadable = None, "not a notebook (valid JSON, but not a JSON object)"
    except ValueError as exc:
        unreadable = f"not valid JSON ({str(exc).splitlines()[0][:100]})"
    chapter = identify_chapter(text, nb)
    if chapter not in course:
        what = f"{unreadable}, and no chapter of the course found in its text" if unreadable else (
            "not a chapter of the course: no exercise label, check call or '# N. Title' heading of "
            f"chapters {min(course, default=0)}-{max(course, default=0)}")
        if chapter is not None and not unreadable:
            what = f"not a chapter of the course: it looks like chapter {chapter}, which the course does not have"
        return None, [Row(student, None, "", False, what, name)], [f"{name}: {what}"]
    notes = []
    found: dict[str, Exercise] = {}
    if unreadable is None:
        with tempfile.TemporaryDirectory(prefix="grade-") as workdir:
            report = run_notebook(path, notebook_timeout, cell_timeout, kernel, chapter=chapter,
                                  workdir=Path(workdir))
        notes = [f"{name}: {problem}" for problem in report.problems]
        unreadable = next((p for p in report.problems if p.startswith("not a readable notebook")), None)
        found = {e.label: e for e in report.exercises}
    else:
        notes = [f"{name}: {unreadable}"]
    rows = []
    for e in course[chapter]:
        mine = found.get(e.label)
        if unreadable:
            verdict = f"not run: {unreadable}"
        elif mine is None:
            verdict = "missing: the exercise is not in the notebook (its cell deleted or its label changed)"
        elif not mine.checked:
            verdict = "missing: the exercise's check cell was deleted"
        else:
            verdict = mine.verdict or "correct"
        rows.append(Row(student, chapter, e.label, verdict == "correct", verdict, name))
    return chapter, rows, notes


def _grade_file(args: tuple) -> tuple[int | None, list[Row], list[str]]:
    return grade_file(*args)


def grade(folder: Path, course_dir: Path = ROOT / "chapters", notebook_timeout: float = 600,
          cell_timeout: float = 120, kernel: str = "python3", jobs: int = 1, exclude: Path | None = None
          ) -> tuple[list[Row], list[str], dict[int, list[Exercise]], list[str]]:
    """(rows, notes, the chapters in scope with their exercises, the students)."""
    course = course_exercises(course_dir)
    files = find_submissions(folder, exclude)
    args = [(student, path, folder, course, notebook_timeout, cell_timeout, kernel) for student, path in files]
    if jobs > 1 and len(args) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_grade_file, args))
    else:
        results = [grade_file(*a) for a in args]
    rows = [row for _, file_rows, _ in results for row in file_rows]
    notes = [note for _, _, file_notes in results for note in file_notes]
    students = sorted({student for student, _ in files})
    scope = {n: course[n] for n in sorted({chapter for chapter, _, _ in results if chapter is not None})}
    for student in students:
        have = {r.chapter for r in rows if r.student == student}
        rows += [Row(student, n, e.label, False, "not submitted", "")
                 for n, exercises in scope.items() if n not in have for e in exercises]
    rows.sort(key=lambda r: (r.student, r.chapter is None, r.chapter or 0, r.file))  # stable: course order
    return rows, notes, scope, students


def summary(rows: list[Row], scope: dict[int, list[Exercise]], students: list[str]) -> list[str]:
    solved = {(r.student, r.chapter, r.exercise) for r in rows if r.passed}
    total = sum(len(exercises) for exercises in scope.values())
    width = max([len(s) for s in students] + [7])
    lines = ["Per student (exercises solved / total):"]
    for s in students:
        lines.append(f"  {s:<{width}}  {sum(1 for k in solved if k[0] == s)}/{total}")
    lines.append(f"Per exercise (students who solved it / {len(students)}):")
    for n, exercises in scope.items():
        for e in exercises:
            count = sum(1 for s in students if (s, n, e.label) in solved)
            lines.append(f"  Exercise {e.number:<5} {e.label:<32} {count}/{len(students)}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("submissions", type=Path, help="a folder: one subfolder per student, or files lying flat")
    parser.add_argument("--out", type=Path, default=Path("grades.csv"), help="the CSV to write (grades.csv)")
    parser.add_argument("--jobs", type=int, default=1, help="notebooks run side by side (1)")
    parser.add_argument("--notebook-timeout", type=float, default=600, help="seconds per notebook (600)")
    parser.add_argument("--cell-timeout", type=float, default=120, help="seconds per cell (120)")
    parser.add_argument("--kernel", default="python3")
    parser.add_argument("--course", type=Path, default=ROOT / "chapters", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.submissions.is_dir():
        print(f"{args.submissions} is not a folder (make grade SUBMISSIONS=folder).", file=sys.stderr)
        return 1
    start = time.monotonic()
    rows, notes, scope, students = grade(args.submissions, args.course, args.notebook_timeout,
                                         args.cell_timeout, args.kernel, args.jobs, exclude=args.out)
    if not students:
        print(f"No file in {args.submissions}/.", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        writer.writerows(row.csv() for row in rows)
    files = len({(r.student, r.file) for r in rows if r.file})
    print(f"Graded {files} file(s) of {len(students)} student(s) in {time.monotonic() - start:.0f} s; "
          f"chapters {', '.join(map(str, scope)) or 'none'}.")
    if notes:
        print("\n".join(["Notes:", *(f"  ! {note}" for note in notes)]))
    print("\n".join(summary(rows, scope, students)))
    print(f"Wrote {args.out} ({len(rows)} rows).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
