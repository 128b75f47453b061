"""The book's own house rules, checked on the committed notebooks and the table of contents."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
SOLUTIONS = sorted((ROOT / "chapters" / "solutions").glob("[0-9][0-9]_solutions.ipynb"))
NOTEBOOKS = CHAPTERS + SOLUTIONS
EXERCISE = re.compile(r"```\{exercise\}[^\n]*\n:label: (\S+)")
SOLUTION = re.compile(r"```\{solution\} (\S+)")


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text())["cells"]


def _markdown(path: Path) -> str:
    return "\n".join("".join(c["source"]) for c in _cells(path) if c["cell_type"] == "markdown")


def test_ten_chapters_each_with_a_solutions_notebook():
    assert [p.name[:2] for p in CHAPTERS] == [f"{n:02d}" for n in range(1, 11)]
    assert [p.name[:2] for p in SOLUTIONS] == [p.name[:2] for p in CHAPTERS]


def test_every_notebook_and_appendix_is_in_the_table_of_contents():
    toc = (ROOT / "_toc.yml").read_text()
    for path in NOTEBOOKS:
        assert f"file: {path.relative_to(ROOT).with_suffix('').as_posix()}\n" in toc, path.name
    for page in sorted((ROOT / "appendices").glob("*.md")):
        assert f"file: appendices/{page.stem}\n" in toc, page.name


def test_every_exercise_has_exactly_one_solution_and_every_chapter_has_three():
    exercises: list[str] = []
    for path in CHAPTERS:
        found = EXERCISE.findall(_markdown(path))
        assert len(found) >= 3, f"{path.name} has {len(found)} exercises"
        exercises += found
    solutions = [label for path in SOLUTIONS for label in SOLUTION.findall(_markdown(path))]
    assert len(set(exercises)) == len(exercises), "duplicate exercise labels"
    assert sorted(solutions) == sorted(exercises)


def test_every_section_named_in_the_prose_exists():
    # Headings are numbered by hand ("## 6.3 Choosing ε"), so "section 6.3" in any
    # chapter, solution or appendix must name a heading that is still there.
    headings = {int(p.name[:2]): set(re.findall(r"^#{2,4} (\d+\.\d+(?:\.\d+)?)\b", _markdown(p), re.M))
                for p in CHAPTERS}
    texts = {p.name: _markdown(p) for p in NOTEBOOKS}
    texts.update({p.name: p.read_text() for p in sorted((ROOT / "appendices").glob("*.md"))})
    named = [(name, m.group(1), m.group(2)) for name, text in texts.items()
             for m in re.finditer(r"[Ss]ections? ((\d+)\.\d+(?:\.\d+)?)\b", text)]
    assert len(named) > 20
    missing = [(name, sec) for name, sec, ch in named if sec not in headings.get(int(ch), set())]
    assert not missing, f"sections named in the prose but not among the headings: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_prose_names_exercises_by_label_not_by_number(path: Path):
    # The book numbers exercises across all chapters, so "Exercise 2" written by hand
    # would name a different exercise than the one the rendered page calls Exercise 2;
    # {ref}`ex-...` renders the right number.
    prose = re.sub(r"````\{exercise\}.*?````", "", _markdown(path), flags=re.S)
    hard_coded = re.findall(r"\b[Ee]xercises? \d+", prose)
    assert not hard_coded, f"{path.name}: write {{ref}}`ex-...` instead of {hard_coded}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_executed_and_deterministic(path: Path):
    nb = json.loads(path.read_text())
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    first = "".join(nb["cells"][0]["source"])
    assert first.startswith("# "), "the first cell must be the page title"
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code" or not "".join(cell["source"]).strip():
            continue
        tags = cell.get("metadata", {}).get("tags", [])
        src = "".join(cell["source"])
        assert cell["execution_count"] is not None, f"cell {i} has no stored output: run make execute"
        assert "execution" not in cell.get("metadata", {}), f"cell {i} stores timing metadata"
        assert "np.random.seed" not in src and "np.random.rand" not in src, f"cell {i} uses global state"
        for output in cell["outputs"]:
            assert output.get("name") != "stderr", f"cell {i} writes to stderr"
            if output["output_type"] == "error":
                assert "raises-exception" in tags, f"cell {i} stores an error but is not tagged"
            assert "image/svg+xml" not in output.get("data", {}), f"cell {i} stores an SVG figure"
