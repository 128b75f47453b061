"""make grade (scripts/grade.py): a class's submitted notebooks graded into a CSV.

Small and fast: a two-chapter course of its own, written into tmp_path with real
nnlib checks, and a class whose files take every shape the grader must handle
(a few kernels, run two at a time).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from tests.test_workspace import HEADER, QUADRATIC, _notebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import grade  # noqa: E402

SIGMOID = "    return np.exp(-np.logaddexp(0, -z))"
STUB = "    raise NotImplementedError"
SHARED = ("    h = 1 / (1 + np.exp(-np.array([w @ x[:2] + b, w @ x[1:] + b])))\n"
          "    d = (v @ h - y) * v * h * (1 - h)\n"
          "    return d[0] * x[:2] + d[1] * x[1:], d[0] + d[1]")
OVERWRITES = ("    h = 1 / (1 + np.exp(-np.array([w @ x[:2] + b, w @ x[1:] + b])))\n"
              "    d = (v @ h - y) * v * h * (1 - h)\n"
              "    for i in range(2):\n        dw, db = d[i] * x[i:i + 2], d[i]\n    return dw, db")


def _announce(label, title, book):
    """An exercise's markdown: the book's {exercise} block, or a workspace copy's anchor."""
    if book:
        return ("markdown", f"```{{exercise}} {title}\n:label: {label}\n\nDo it.\n```")
    return ("markdown", f'<a id="{label}"></a>\n\n> **Exercise {label[5:7].lstrip("0")}.x: {title}**')


def chapter1(cost=QUADRATIC, sigmoid=STUB, book=True, title="# 1. One", sigmoid_check=True, cost_exercise=True):
    cells = [("markdown", title), HEADER]
    if cost_exercise:
        cells += [_announce("ex-ch01-cost", "Cost", book), ("code", f"def quadratic_cost(y_hat, y):\n{cost}"),
                  ("code", "ch01.check_quadratic_cost(quadratic_cost)")]
    cells += [_announce("ex-ch01-sigmoid", "Sigmoid", book), ("code", f"def sigmoid(z):\n{sigmoid}")]
    if sigmoid_check:
        cells.append(("code", "from nnlib import checks\nchecks.ch01.check_sigmoid(sigmoid)"))
    cells.append(_announce("ex-ch01-essay", "Written", book))  # no check: not graded
    return cells


def chapter2(shared=SHARED, book=True):
    return [("markdown", "# 2. Two"), ("code", "import numpy as np\nfrom nnlib.checks import ch02"),
            _announce("ex-ch02-shared", "A weight used twice", book),
            ("code", f"def shared_gradient(w, b, v, x, y):\n{shared}"),
            ("code", "ch02.check_shared_gradient(shared_gradient)")]


def _tree(folder):
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_identify_chapter_from_the_content():
    book, work = _notebook(chapter1()), _notebook(chapter1(book=False))
    assert grade.identify_chapter(grade.json.dumps(book), book) == 1  # {exercise} labels
    assert grade.identify_chapter(grade.json.dumps(work), work) == 1  # workspace anchors
    text = grade.json.dumps(_notebook([("markdown", "# 7. Title"), ("code", "ch03.check_x(f)")]))
    assert grade.identify_chapter(text, grade.json.loads(text)) == 3  # check calls before the title
    assert grade.identify_chapter(text.replace("ch03.", "g."), None) == 7  # the title, even in raw text
    assert grade.identify_chapter('{"cells": [{"source": "# Shopping"}]}', None) is None


def test_grade_a_class(tmp_path, capsys):
    course = tmp_path / "course"
    course.mkdir()
    _notebook(chapter1(), course / "01_one.ipynb")
    _notebook(chapter2(), course / "02_two.ipynb")

    subs = tmp_path / "submissions"
    for folder in ("alice/late", "bob/.ipynb_checkpoints", "dave"):
        (subs / folder).mkdir(parents=True)
    # alice: a renamed workspace copy (one solved, one stub), a wrong answer in a subfolder, a stray file.
    _notebook(chapter1(book=False, title="# My homework"), subs / "alice" / "final (1).ipynb")
    _notebook(chapter2(OVERWRITES), subs / "alice" / "late" / "ch2.ipynb")
    (subs / "alice" / "notes.txt").write_text("see attached", encoding="utf-8")
    # bob: a wrong answer with a check cell deleted; a broken (truncated) chapter 2; a checkpoint, skipped.
    _notebook(chapter1(cost=QUADRATIC.replace("0.5 * ", ""), sigmoid=SIGMOID, sigmoid_check=False),
              subs / "bob" / "01_one.ipynb")
    broken = grade.json.dumps(_notebook(chapter2()), indent=1)
    (subs / "bob" / "02_two.ipynb").write_text(broken[:len(broken) // 2], encoding="utf-8")
    _notebook(chapter1(), subs / "bob" / ".ipynb_checkpoints" / "01_one-checkpoint.ipynb")
    # carol, a file lying flat: not a chapter. dave: an exercise deleted, and a kernel that dies.
    _notebook([("markdown", "# Shopping list"), ("code", "print('eggs')")], subs / "carol.ipynb")
    _notebook(chapter1(sigmoid=SIGMOID, cost_exercise=False), subs / "dave" / "one.ipynb")
    _notebook(chapter2("    import os\n    os._exit(1)"), subs / "dave" / "two.ipynb")
    # erin, flat: valid JSON, but a cell lacks a required field (not a valid notebook).
    damaged = _notebook(chapter2())
    del damaged["cells"][1]["outputs"]
    (subs / "erin.ipynb").write_text(grade.json.dumps(damaged), encoding="utf-8")
    before = _tree(subs)

    out = tmp_path / "grades.csv"
    assert grade.main([str(subs), "--out", str(out), "--jobs", "3", "--course", str(course),
                       "--cell-timeout", "20", "--notebook-timeout", "60"]) == 0

    assert _tree(subs) == before  # only read: same bytes, same times, nothing added
    rows = list(csv.reader(out.open(encoding="utf-8")))
    for row in rows:  # a wrong answer: the first line of the check's message, which names the mistake
        if row[4].startswith(("dw (∂C/∂w) at", "quadratic_cost on a batch")):
            assert "This is exactly what you get if you" in row[4]
            row[4] = "wrong: " + ("overwrites" if "overwrites (=) instead of adding" in row[4] else
                                  "factor ½" if "forgot the factor ½" in row[4] else row[4])
    assert rows == [
        ["student", "chapter", "exercise", "passed", "verdict", "file"],
        ["alice", "1", "ex-ch01-cost", "1", "correct", "alice/final (1).ipynb"],
        ["alice", "1", "ex-ch01-sigmoid", "0", "still the stub (NotImplementedError)", "alice/final (1).ipynb"],
        ["alice", "2", "ex-ch02-shared", "0", "wrong: overwrites", "alice/late/ch2.ipynb"],
        ["alice", "", "", "0", "not graded: not an .ipynb file", "alice/notes.txt"],
        ["bob", "1", "ex-ch01-cost", "0", "wrong: factor ½", "bob/01_one.ipynb"],
        ["bob", "1", "ex-ch01-sigmoid", "0", "missing: the exercise's check cell was deleted", "bob/01_one.ipynb"],
        ["bob", "2", "ex-ch02-shared", "0", rows[7][4], "bob/02_two.ipynb"],
        ["carol", "1", "ex-ch01-cost", "0", "not submitted", ""],
        ["carol", "1", "ex-ch01-sigmoid", "0", "not submitted", ""],
        ["carol", "2", "ex-ch02-shared", "0", "not submitted", ""],
        ["carol", "", "", "0", "not a chapter of the course: no exercise label, check call or "
         "'# N. Title' heading of chapters 1-2", "carol.ipynb"],
        ["dave", "1", "ex-ch01-cost", "0", "missing: the exercise is not in the notebook (its cell deleted or "
         "its label changed)", "dave/one.ipynb"],
        ["dave", "1", "ex-ch01-sigmoid", "1", "correct", "dave/one.ipynb"],
        ["dave", "2", "ex-ch02-shared", "0", "not run: the kernel died in cell 4", "dave/two.ipynb"],
        ["erin", "1", "ex-ch01-cost", "0", "not submitted", ""],
        ["erin", "1", "ex-ch01-sigmoid", "0", "not submitted", ""],
        ["erin", "2", "ex-ch02-shared", "0", rows[17][4], "erin.ipynb"],
    ]
    assert rows[7][4].startswith("not run: not valid JSON (")
    assert rows[17][4].startswith("not run: not a readable notebook (NotebookValidationError: ")

    out = capsys.readouterr().out
    assert "Graded 9 file(s) of 5 student(s)" in out and "! bob/02_two.ipynb: not valid JSON" in out
    assert "! dave/two.ipynb: the kernel died in cell 4" in out
    student_lines = [line.split() for line in out.splitlines() if line.startswith("  ") and "/" in line
                     and not line.lstrip().startswith(("!", "Exercise"))]
    assert student_lines == [["alice", "1/3"], ["bob", "0/3"], ["carol", "0/3"], ["dave", "1/3"], ["erin", "0/3"]]
    assert [line.split()[-1] for line in out.splitlines() if line.lstrip().startswith("Exercise")] == \
        ["1/5", "1/5", "0/5"]


def test_main_without_submissions(tmp_path, capsys):
    assert grade.main([str(tmp_path / "missing")]) == 1
    (tmp_path / "empty").mkdir()
    assert grade.main([str(tmp_path / "empty"), "--out", str(tmp_path / "g.csv")]) == 1
    assert not (tmp_path / "g.csv").exists()
