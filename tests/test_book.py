"""The book's own house rules, checked on the committed notebooks and the table of contents."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from workspace import section_numbers  # noqa: E402

CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
SOLUTIONS = sorted((ROOT / "chapters" / "solutions").glob("[0-9][0-9]_solutions.ipynb"))
NOTEBOOKS = CHAPTERS + SOLUTIONS
EXERCISE = re.compile(r"```\{exercise\}[^\n]*\n:label: (\S+)")
SOLUTION = re.compile(r"```\{solution\} (\S+)")


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text())["cells"]


def _markdown_cells(path: Path) -> list[str]:
    return ["".join(c["source"]) for c in _cells(path) if c["cell_type"] == "markdown"]


def _markdown(path: Path) -> str:
    return "\n".join("".join(c["source"]) for c in _cells(path) if c["cell_type"] == "markdown")


def test_twelve_chapters_each_with_a_solutions_notebook():
    assert [p.name[:2] for p in CHAPTERS] == [f"{n:02d}" for n in range(1, 13)]
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
    # Sections are numbered by the numbered table of contents (chapter 7's second
    # "##" heading is section 7.2), so "section 7.2" in any chapter, solution or
    # appendix must name a heading that is there.
    headings = {int(p.name[:2]): set(section_numbers(_markdown_cells(p), int(p.name[:2])))
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
    # "Exercise 7.2" written by hand goes stale when an exercise is added or moved;
    # {ref}`ex-...` renders the number the book gives it.
    prose = re.sub(r"````\{exercise\}.*?````", "", _markdown(path), flags=re.S)
    hard_coded = re.findall(r"\b[Ee]xercises? \d+", prose)
    assert not hard_coded, f"{path.name}: write {{ref}}`ex-...` instead of {hard_coded}"
    doubled = re.findall(r"\b[Ee]xercises? \{ref\}`ex-", prose)
    assert not doubled, f"{path.name}: {{ref}}`ex-...` renders 'Exercise N' itself; 'Exercise {{ref}}' doubles it"


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


# ---------------------------------------------------------------------------
# Portable numbers and numbers in the prose (AUTHORING.md, "Numbers").

CODE_CELLS = [(path, i, cell) for path in NOTEBOOKS for i, cell in enumerate(_cells(path))
              if cell["cell_type"] == "code" and "".join(cell["source"]).strip()]


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _output_text(cell: dict) -> str:
    parts = []
    for output in cell.get("outputs", []):
        parts.append("".join(output.get("text", "")))
        data = output.get("data", {})
        parts.append("".join(data.get("text/plain", "")))
        parts.append("".join(data.get("text/markdown", "")))
    return "\n".join(parts)


def test_few_cells_are_excused_from_comparison_and_each_asserts():
    excused = [(path.name, i, cell) for path, i, cell in CODE_CELLS if "nbval-ignore-output" in _tags(cell)]
    assert len(excused) <= 0.03 * len(CODE_CELLS), f"{len(excused)} of {len(CODE_CELLS)} code cells excused"
    silent = [(name, i) for name, i, cell in excused if "assert " not in "".join(cell["source"])]
    assert not silent, f"cells excused from comparison must assert what the prose says of them: {silent}"
    skipped = [(path.name, i) for path, i, cell in CODE_CELLS if {"nbval-skip", "skip-execution"} & set(_tags(cell))]
    assert not skipped, f"cells that nbval never runs: {skipped}"


def test_no_sanitize_rule_rewrites_ordinary_numbers():
    rules = re.findall(r"^regex: (.+)$", (ROOT / "nbval_sanitize.cfg").read_text(), re.M)
    assert rules
    ordinary = ["0.2053", "15.26", "3.87e-09", "88.0%", "2.00", "153 epochs", "loss 0.0046", "1,185", "x 2.5"]
    for rule in rules:
        hits = [text for text in ordinary if re.search(rule, text)]
        assert not hits, f"sanitize rule {rule!r} would rewrite the ordinary numbers {hits}"


# A number at rounding level printed with digits: 3.87e-09, 2.8e-16. Such a quantity is
# shown as a bound ("< 1e-08") or an order of magnitude ("1e-10"), never with a mantissa.
ROUNDING_LEVEL = re.compile(r"(?<![\w.])\d\.\d+e-(?:0[7-9]|[1-9]\d)\b")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_rounding_level_number_is_printed_with_digits(path: Path):
    found = [(i, m.group()) for i, cell in enumerate(_cells(path)) if cell["cell_type"] == "code"
             for m in ROUNDING_LEVEL.finditer(_output_text(cell))]
    assert not found, (f"{path.name}: numbers below 1e-6 printed with digits that another machine "
                       f"changes (print a bound or the order of magnitude): {found}")


def _prose(markdown: str) -> str:
    """The running text of a markdown cell: without math, code, labels, links' targets,
    section and chapter references and the numbers of headings."""
    text = re.sub(r"````.*?````|```.*?```", lambda m: _directive_body(m.group()), markdown, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$|\$[^$\n]+\$", " ", text, flags=re.S)
    text = re.sub(r"`[^`\n]*`", " ", text)
    text = re.sub(r"^:\w+:.*$", " ", text, flags=re.M)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"^#+ [\d.]+|^\|\s*\d+\.\d+\s*\||§\s?\d+(?:\.\d+)*", " ", text, flags=re.M)
    text = re.sub(r"\b(?:[Ss]ections?|[Cc]hapters?|[Ff]igures?|[Pp]arts?|seeds?|[Ss]ources?|notebooks?)"
                  r"((?:,? (?:and |or |to )?\d+(?:\.\d+)*)+)", " ", text)
    return text


def _directive_body(block: str) -> str:
    """Keep the prose inside {exercise}, {admonition} and the like; drop code blocks."""
    first, _, rest = block.partition("\n")
    return rest.rsplit("```", 1)[0] if "{" in first and "{code" not in first else " "


# Numbers that carry a result: decimals, percentages, integers of two digits or more.
# Written with thousands separators (1,185) or without, both match the code's 1185.
PROSE_NUMBER = re.compile(r"(?<![\w.,\-/^])(\d{1,3}(?:,\d{3})+|\d+\.\d+|\d{2,})(?![\w.]\d|\w)")


def _numbers(text: str) -> set[str]:
    return {m.group(1).replace(",", "") for m in PROSE_NUMBER.finditer(text)}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_numbers_in_the_prose_come_from_the_notebook(path: Path):
    # A number quoted in the text is either set in the code (a size, a seed, a learning
    # rate) or printed by it: the test finds it, as a whole number, among the notebook's
    # code and outputs. So a printout that changes makes the prose that quotes it fail.
    cells = _cells(path)
    source = "\n".join("".join(c["source"]) + "\n" + _output_text(c) for c in cells if c["cell_type"] == "code")
    known = _numbers(source) | {m.replace("_", "") for m in re.findall(r"\b\d[\d_]*\d\b", source)}
    quoted = [(i, n) for i, c in enumerate(cells) if c["cell_type"] == "markdown"
              for n in sorted(_numbers(_prose("".join(c["source"]))))]
    missing = [(i, n) for i, n in quoted if n not in known]
    assert not missing, (f"{path.name}: numbers in the prose that the notebook neither sets nor prints "
                         f"(cell, number): {missing}")
