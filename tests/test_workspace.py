"""make workspace and make progress (scripts/workspace.py, scripts/progress.py).

Fast by design: the conversion runs on the real chapters' markdown only, and
progress runs on small notebooks written here (one kernel each, a few seconds).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import progress  # noqa: E402
import workspace  # noqa: E402

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


@pytest.fixture(scope="module")
def index():
    return workspace.build_index(CHAPTERS)


@pytest.fixture(scope="module")
def converted(index):
    out = {}
    for path in CHAPTERS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        out[path.name] = (nb, *workspace.convert_notebook(nb, index, workspace.chapter_number(path)))
    return out


def _md(nb):
    return [c["source"] if isinstance(c["source"], str) else "".join(c["source"])
            for c in nb["cells"] if c["cell_type"] == "markdown"]


# ----------------------------------------------------------------------------- conversion


def test_the_chapters_use_myst_that_the_detector_sees():
    # Guards the next test: if the detector saw nothing in the originals, "nothing left" would prove nothing.
    found = [hit for path in CHAPTERS for text in _md(json.loads(path.read_text(encoding="utf-8")))
             for hit in workspace.myst_leftovers(text)]
    assert any(h.lstrip().startswith("```{exercise}") or h.lstrip().startswith("````{") for h in found)
    assert any(h.startswith("{cite") for h in found) and any(h.startswith("{ref}") for h in found)


@pytest.mark.parametrize("name", [p.name for p in CHAPTERS])
def test_conversion_leaves_no_myst(converted, name):
    original, copy, problems = converted[name]
    assert problems == []  # every reference, citation and document resolved
    for text in _md(copy):
        assert workspace.myst_leftovers(text) == [], text[:300]
    # Code cells, outputs included, are copied unchanged; metadata too.
    assert [c for c in copy["cells"] if c["cell_type"] == "code"] == \
        [c for c in original["cells"] if c["cell_type"] == "code"]
    assert copy["metadata"] == original["metadata"]


def test_conversion_output(converted):
    text = "\n".join(_md(converted["03_four_equations.ipynb"][1]))
    assert "> **Theorem 3.1 (BP1).**" in text and "> **Proof.**" in text
    assert "> **Algorithm 3.1 (Backpropagation, for one sample).**" in text
    assert "(Rumelhart et al. 1986)" in text and "Nielsen (2015)" in text
    text = "\n".join(_md(converted["07_classification.ipynb"][1]))
    assert '<a id="ex-ch07-accuracy"></a>\n\n> **Exercise 7.1: Accuracy from probabilities**' in text
    assert "Exercise 7.3: Two spirals" in text and "(Minsky and Papert 1969)" in text
    text = "\n".join(_md(converted["04_cross_entropy.ipynb"][1]))
    assert "BP1 (Theorem 3.1)" in text
    text = "\n".join(_md(converted["10_digits_capstone.ipynb"][1]))
    assert "Exercise 10.3\ncompares" in text  # "Exercise {ref}`...`" is not doubled
    text = "\n".join(_md(converted["01_neurons_forward_pass.ipynb"][1]))
    assert "> **Notation**" in text
    assert "(*Solutions to chapter 1: Neurons and the forward pass* (`chapters/solutions/01_solutions.ipynb`))" \
        in text


def test_conversion_of_other_forms(tmp_path):
    src = "\n".join([
        "# Forms", "## Accuracy", "(sec-xor)=", "## XOR", "### 7.9 A hand-written number is ignored", "",
        "See {ref}`sec-xor`, {ref}`the XOR section <sec-xor>`, {numref}`ex-ch03-bp2` and "
        "{cite}`glorot2010,he2015`; {doc}`../appendices/api`.",
        ":::{note}", "A note with $a +", "b$ and", "$$", "x = 1", "$$", ":::",
        "`````{exercise} Outer", ":label: ex-ch07-accuracy", "", "```python", "# not a heading", "```",
        "````{hint}", "Inner", "````", "`````",
    ])
    _notebook([("markdown", src)], tmp_path / "07_forms.ipynb")
    index = workspace.build_index([*CHAPTERS[:3], tmp_path / "07_forms.ipynb"], ROOT)
    conv = workspace.Converter(index, 7)
    out = conv.convert(src)
    assert workspace.myst_leftovers(out) == [] and conv.problems == []
    assert "See section 7.2, the XOR section, Exercise 3.1 and (Glorot and Bengio 2010; He et al. 2015);" in out
    # headings carry the numbers of the book's numbered table of contents
    assert "# 7. Forms\n## 7.1 Accuracy\n" in out and "\n## 7.2 XOR\n### 7.2.1 A hand-written" in out
    assert "*nnlib API reference* (`appendices/api.md`)" in out
    assert "> **Note**\n>\n> A note with $a + b$ and\n> $$ x = 1 $$" in out  # math on one line in a quote
    assert "> **Exercise 7.1: Outer**" in out and "> ```python\n> # not a heading\n> ```" in out
    assert "> > **Hint**" in out


def test_a_dropdown_hint_stays_collapsed_in_the_copy():
    # The book's hints are collapsed admonitions; the copy keeps them collapsed with <details>.
    src = "\n".join(["```{admonition} Hint 1: shapes", ":class: dropdown", "",
                     "$W^l$ has shape $(n_l, n_{l-1})$; see {ref}`ex-ch03-bp2`.", "```"])
    index = workspace.build_index(CHAPTERS[:3], ROOT)
    out = workspace.Converter(index, 3).convert(src)
    assert out == ("<details>\n<summary><b>Hint 1: shapes</b></summary>\n\n"
                   "$W^l$ has shape $(n_l, n_{l-1})$; see Exercise 3.1.\n\n</details>")
    assert workspace.myst_leftovers(out) == []


# ----------------------------------------------------------------------------- make workspace


def _notebook(cells, path=None):
    nb = {"cells": [], "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                    "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    for i, (kind, source) in enumerate(cells):
        cell = {"cell_type": kind, "id": f"c{i}", "metadata": {}, "source": source}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        nb["cells"].append(cell)
    if path is not None:
        path.write_text(json.dumps(nb), encoding="utf-8")
    return nb


def test_workspace_never_overwrites(tmp_path, capsys):
    chapters = tmp_path / "chapters"
    (chapters / "solutions").mkdir(parents=True)
    for n in (1, 2):
        _notebook([("markdown", f"# {n}. T\n\n```{{exercise}} E\n:label: ex-ch0{n}-a\n\nDo it.\n```"),
                   ("code", f"ch0{n}.check_a(a)")], chapters / f"0{n}_t.ipynb")
    _notebook([("markdown", "# Solutions")], chapters / "solutions" / "01_solutions.ipynb")
    dest = tmp_path / "workspace"
    added, kept = workspace.make_workspace(chapters, dest)
    assert (added, kept) == (["01_t.ipynb", "02_t.ipynb"], [])
    assert sorted(p.name for p in dest.iterdir()) == ["01_t.ipynb", "02_t.ipynb"]  # no solutions
    assert "**Exercise 1.1: E**" in (dest / "01_t.ipynb").read_text(encoding="utf-8")

    answer = dest / "01_t.ipynb"
    answer.write_text("my answers, even a broken file", encoding="utf-8")
    (dest / "02_t.ipynb").unlink()
    _notebook([("markdown", "# 3. New")], chapters / "03_t.ipynb")
    capsys.readouterr()
    added, kept = workspace.make_workspace(chapters, dest)
    assert (added, kept) == (["02_t.ipynb", "03_t.ipynb"], ["01_t.ipynb"])
    assert answer.read_text(encoding="utf-8") == "my answers, even a broken file"
    assert "Kept 1 chapter(s)" in capsys.readouterr().out


# ----------------------------------------------------------------------------- make progress


def test_exercise_mapping_on_the_real_chapters(converted):
    total = 0
    for name, (original, copy, _) in converted.items():
        n = workspace.chapter_number(Path(name))
        book, work = progress.map_exercises(original, n), progress.map_exercises(copy, n)
        # The book's {exercise} labels and the copy's anchors give the same exercises and check cells.
        assert [(e.label, e.number, e.cells) for e in book] == [(e.label, e.number, e.cells) for e in work]
        for e in book:
            assert e.label.startswith(f"ex-ch{n:02d}-")
            for i in e.cells:  # each check cell calls a check of its own chapter
                src = "".join(original["cells"][i]["source"])
                assert {int(m.group("chapter")) for m in progress.CHECK_CALL.finditer(src)} == {n}
        total += sum(e.checked for e in book)
    assert total >= 30


QUADRATIC = "    return float(np.mean(0.5 * np.sum((y_hat - y) ** 2, axis=1)))"
HEADER = ("code", "import numpy as np\nfrom nnlib.checks import ch01")


def _exercise(label, title, body):
    return [("markdown", f'<a id="{label}"></a>\n\n> **Exercise 1.{label[-1]}: {title}**'),
            ("code", f"def quadratic_cost(y_hat, y):\n{body}"),
            ("code", "ch01.check_quadratic_cost(quadratic_cost)")]


def _snapshot(folder):
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_progress_on_fixtures(tmp_path):
    ws = tmp_path / "workspace"
    ws.mkdir()
    _notebook([("markdown", "# 1. Fixture"), HEADER,
               *_exercise("ex-ch01-1", "solved", QUADRATIC),
               *_exercise("ex-ch01-2", "stub", "    raise NotImplementedError"),
               *_exercise("ex-ch01-3", "wrong", QUADRATIC.replace("0.5 * ", "")),
               ("markdown", '<a id="ex-ch01-4"></a>\n\n> **Exercise 1.4: written**\n\nNo code.')],
              ws / "01_mixed.ipynb")
    _notebook([("markdown", "# 2. Loop"), HEADER,
               *_exercise("ex-ch01-1", "loops", "    while True:\n        pass"),
               *_exercise("ex-ch01-2", "after the loop", QUADRATIC)], ws / "02_loop.ipynb")
    _notebook([HEADER, *_exercise("ex-ch01-1", "crash", "    import os\n    os._exit(1)"),
               *_exercise("ex-ch01-2", "never reached", QUADRATIC)], ws / "03_crash.ipynb")
    (ws / "04_broken.ipynb").write_text('{"cells": [', encoding="utf-8")
    before = _snapshot(ws)

    reports = {p.name: progress.run_notebook(p, notebook_timeout=60, cell_timeout=3)
               for p in sorted(ws.glob("*.ipynb"))}

    assert _snapshot(ws) == before  # nothing written, nothing added (no checkpoints either)
    mixed = reports["01_mixed.ipynb"]
    assert [e.verdict for e in mixed.exercises[:2]] == [None, "still the stub (NotImplementedError)"]
    assert "you forgot" in mixed.exercises[2].verdict or "wrong" in mixed.exercises[2].verdict
    assert len(mixed.checked) == 3 and len(mixed.solved) == 1 and not mixed.exercises[3].checked
    lines = progress.format_report(mixed)
    assert "1/3 solved" in lines[0] and "written answers: Exercise 1.4" in lines[-1]

    loop = reports["02_loop.ipynb"]
    assert loop.exercises[0].verdict.startswith("timed out")
    assert loop.exercises[1].verdict is None  # interrupted, the kernel goes on
    assert any("timed out" in p for p in loop.problems)

    crash = reports["03_crash.ipynb"]
    assert any("kernel died" in p for p in crash.problems)
    assert all(e.verdict and "kernel died" in e.verdict for e in crash.exercises)

    broken = reports["04_broken.ipynb"]
    assert broken.problems and "not a readable notebook" in broken.problems[0] and broken.exercises == []


def test_progress_main_prints_the_total(tmp_path, capsys):
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "01_broken.ipynb").write_text("not json", encoding="utf-8")
    assert progress.main(["--workspace", str(ws)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "not a readable notebook" in out[1] and out[-1] == "0/0 exercises solved"
    assert progress.main(["--workspace", str(tmp_path / "missing")]) == 1
