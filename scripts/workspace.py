"""make workspace: copy the chapters into a git-ignored folder where a student works.

    python scripts/workspace.py [--dest workspace] [--chapters chapters]

Each chapter notebook (not the solutions) is copied once. A copy that already
exists is never touched, so running the command again after a course update adds
only the new chapters and lists the ones it kept.

In the copy, the book's MyST markup, which plain JupyterLab shows as raw text, is
turned into plain Markdown: an exercise becomes a quoted block titled
"**Exercise 7.1: title**" (numbered per chapter), a theorem, proof, algorithm or
admonition a quoted block with a bold title, {cite}`key` "(Author Year)",
{cite:t}`key` "Author (Year)", {ref}/{numref}/{prf:ref} the name of what they
point to ("Exercise 7.1", "Theorem 3.2", "section 7.3"), {doc} the title of the
page. Code cells and their outputs are copied unchanged.

Each exercise keeps its label as an invisible anchor, ``<a id="ex-ch07-xor"></a>``,
which scripts/progress.py reads to tie check cells to exercises.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from dataclasses import dataclass, field
from os.path import normpath
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A directive fence: ```{name} args  or  :::{name} args (three or more characters).
FENCE_OPEN = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|:{3,})\s*\{(?P<name>[^}\s]+)\}\s*(?P<args>.*?)\s*$")
# A plain code fence (no directive): ```python
CODE_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
OPTION = re.compile(r"^\s*:(?P<key>[\w-]+):\s*(?P<value>.*?)\s*$")
ROLE = re.compile(r"\{(?P<name>[A-Za-z][\w:+-]*)\}`(?P<content>[^`]*)`")
TARGET = re.compile(r"^\((?P<label>[^)\s]+)\)=\s*$")
HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?:\d+(?:\.\d+)*\.?\s+)?(?P<title>.*)$")
EXERCISE_ANCHOR = re.compile(r'<a id="(?P<label>ex-[^"]+)"></a>')

# What is left of MyST if a conversion missed something (used by the tests).
MYST_LEFTOVERS = [
    re.compile(r"^\s*(?:`{3,}|:{3,})\s*\{", re.M),  # a directive fence
    ROLE,  # a role
    re.compile(r"^\s*:[\w-]+:(?:\s|$)", re.M),  # a directive option
    re.compile(r"^\([^)\s]+\)=\s*$", re.M),  # a target
    re.compile(r"^%", re.M),  # a MyST comment
    re.compile(r"^\+\+\+", re.M),  # a block break
]

PROOF_TYPES = {  # sphinx-proof directives: prf:<name> -> the title it renders
    "theorem": "Theorem", "lemma": "Lemma", "corollary": "Corollary", "proposition": "Proposition",
    "definition": "Definition", "conjecture": "Conjecture", "axiom": "Axiom", "criterion": "Criterion",
    "example": "Example", "property": "Property", "observation": "Observation", "remark": "Remark",
    "assumption": "Assumption", "notation": "Notation", "algorithm": "Algorithm", "proof": "Proof",
}
ADMONITIONS = {"note", "warning", "tip", "hint", "important", "caution", "attention", "danger", "error",
               "seealso", "admonition", "topic", "sidebar", "margin", "dropdown", "epigraph", "pull-quote"}


def myst_leftovers(text: str) -> list[str]:
    """The MyST constructs left in ``text`` (an empty list when it is plain Markdown)."""
    return [m.group(0) for pattern in MYST_LEFTOVERS for m in pattern.finditer(text)]


# ----------------------------------------------------------------------------- bibliography


def _bib_fields(body: str) -> dict[str, str]:
    fields, i = {}, 0
    while True:
        m = re.compile(r"\s*,?\s*(\w+)\s*=\s*").match(body, i)
        if not m or m.end() >= len(body):
            return fields
        i, key = m.end(), m.group(1).lower()
        if body[i] in "{\"":
            close, depth, j = "}" if body[i] == "{" else "\"", 0, i
            while j < len(body):
                if body[j] == "{":
                    depth += 1
                elif body[j] == "}":
                    depth -= 1
                if depth == 0 and body[j] == close and j > i:
                    break
                j += 1
            value, i = body[i + 1:j], j + 1
        else:
            m = re.compile(r"[^,}\s]+").match(body, i)
            value, i = m.group(0), m.end()
        fields[key] = " ".join(value.replace("{", "").replace("}", "").split())


def read_bibliography(path: Path) -> dict[str, dict[str, str]]:
    """``{key: {"author": ..., "year": ...}}`` from a BibTeX file (just what citations need)."""
    text = path.read_text(encoding="utf-8")
    entries = {}
    for m in re.finditer(r"@\w+\s*\{\s*([^,\s]+)\s*,", text):
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        entries[m.group(1)] = _bib_fields(text[m.end():j - 1])
    return entries


def cite_author(entry: dict[str, str]) -> str:
    """"Nielsen", "Glorot and Bengio", "Rumelhart et al." from the entry's authors."""
    names = [n.strip() for n in re.split(r"\s+and\s+", entry.get("author", "Anonymous"))]
    surnames = [n.split(",")[0].strip() if "," in n else n.split()[-1] for n in names if n != "others"]
    if len(surnames) == 1 and len(names) == 1:
        return surnames[0]
    if len(names) == 2 and len(surnames) == 2:
        return f"{surnames[0]} and {surnames[1]}"
    return f"{surnames[0]} et al."


# ----------------------------------------------------------------------------- the course index


class SectionNumbers:
    """The numbers the book's numbered table of contents gives a chapter's headings.

    The chapter is numbered by its file name ("07_..." is chapter 7), its ``##``
    headings 7.1, 7.2, ... in order, ``###`` headings 7.2.1, ...; a number written
    by hand in a heading is ignored.
    """

    def __init__(self, chapter: int):
        self.chapter = chapter
        self.counters: list[int] = []

    def next(self, line: str) -> tuple[str, str, str]:
        """``(hashes, number, title)`` of the heading ``line``; the number is "7." for the chapter title."""
        m = HEADING.match(line)
        hashes, title = m.group("hashes"), m.group("title")
        level = len(hashes)
        if level == 1:
            self.counters = []
            return hashes, f"{self.chapter}.", title
        self.counters = (self.counters + [0] * level)[: level - 1]
        self.counters[-1] += 1
        return hashes, ".".join(map(str, [self.chapter, *self.counters])), title


def section_numbers(texts: list[str], chapter: int) -> dict[str, str]:
    """Map each heading's number to its title, for the markdown ``texts`` of chapter ``chapter``."""
    numbers = SectionNumbers(chapter)
    found = {}
    for text in texts:
        for kind, _label, _title, line in _scan_labels(text):
            if kind == "heading":
                _hashes, number, title = numbers.next(line)
                found[number.rstrip(".")] = title
    return found


@dataclass
class Index:
    """What references resolve to, across all chapters."""

    labels: dict[str, str] = field(default_factory=dict)  # label -> "Exercise 7.1", "section 7.3", ...
    titles: dict[str, str] = field(default_factory=dict)  # exercise label -> its title
    docs: dict[str, str] = field(default_factory=dict)  # path without suffix, from the root -> title
    docs_suffix: dict[str, str] = field(default_factory=dict)  # path without suffix -> ".ipynb" or ".md"
    bib: dict[str, dict[str, str]] = field(default_factory=dict)


def chapter_number(path: Path) -> int:
    m = re.match(r"(\d+)", path.name)
    return int(m.group(1)) if m else 0


def _markdown_cells(nb: dict) -> list[str]:
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb["cells"] if c["cell_type"] == "markdown"]


def _doc_title(path: Path) -> str | None:
    try:
        if path.suffix == ".ipynb":
            text = "\n".join(_markdown_cells(json.loads(path.read_text(encoding="utf-8"))))
        else:
            text = path.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    m = re.search(r"^#\s+(.+?)\s*$", text, re.M)
    return m.group(1) if m else None


def build_index(chapters: list[Path], root: Path = ROOT) -> Index:
    """Number every exercise, theorem and labelled section of ``chapters`` (per chapter)."""
    index = Index(bib=read_bibliography(root / "references.bib") if (root / "references.bib").exists() else {})
    for path in chapters:
        n = chapter_number(path)
        counts: dict[str, int] = {}
        section = str(n)
        numbers = SectionNumbers(n)
        pending_targets: list[str] = []
        for text in _markdown_cells(json.loads(path.read_text(encoding="utf-8"))):
            for kind, label, title, line in _scan_labels(text):
                if kind == "heading":
                    section = numbers.next(line)[1].rstrip(".")
                    for target in pending_targets:
                        index.labels[target] = f"section {section}"
                    pending_targets = []
                elif kind == "target":
                    pending_targets.append(label)
                else:
                    counts[kind] = counts.get(kind, 0) + 1
                    if label:
                        name = "Exercise" if kind == "exercise" else PROOF_TYPES.get(kind, kind.title())
                        index.labels[label] = f"{name} {n}.{counts[kind]}"
                        index.titles[label] = title
    for doc in root.glob("**/*"):
        if doc.suffix in (".md", ".ipynb") and not any(p.startswith((".", "_build")) for p in doc.parts):
            title = _doc_title(doc)
            if title:
                index.docs[str(doc.relative_to(root).with_suffix(""))] = title
                index.docs_suffix[str(doc.relative_to(root).with_suffix(""))] = doc.suffix
    return index


def _scan_labels(text: str | list[str]):
    """Yield (kind, label, title, line): headings, targets, exercises and numbered proof blocks."""
    for kind, block in _split_blocks(text.split("\n") if isinstance(text, str) else text):
        if kind == "directive":
            m, body = block
            name = m.group("name")
            label = None
            for line in body:
                opt = OPTION.match(line)
                if not opt:
                    break
                if opt.group("key") == "label":
                    label = opt.group("value")
            kind = "exercise" if name == "exercise" else name[4:] if name.startswith("prf:") else None
            if kind and kind != "proof":
                yield kind, label, m.group("args"), m.group(0)
            yield from _scan_labels(body)
        elif kind == "text":
            for line in block:
                if TARGET.match(line):
                    yield "target", TARGET.match(line).group("label"), "", line
                elif line.startswith("#"):
                    yield "heading", None, "", line


# ----------------------------------------------------------------------------- conversion


def _split_blocks(lines: list[str]):
    """Yield ("text", lines), ("code", lines) and ("directive", (match, body lines)) in order."""
    text: list[str] = []
    i = 0
    while i < len(lines):
        d, c = FENCE_OPEN.match(lines[i]), CODE_FENCE.match(lines[i])
        if d or c:
            m = d or c
            fence = m.group("fence")
            closing = re.compile(rf"^\s{{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
            j = i + 1
            while j < len(lines) and not closing.match(lines[j]):
                j += 1
            if text:
                yield "text", text
                text = []
            if d:
                yield "directive", (d, lines[i + 1:j])
            else:
                yield "code", lines[i:j + 1]
            i = j + 1
            continue
        text.append(lines[i])
        i += 1
    if text:
        yield "text", text


def _join_math_lines(text: str) -> str:
    """Put each math span on one line, so that a "> " prefix never lands inside the TeX."""
    def one_line(m: re.Match) -> str:
        return " ".join(part.strip() for part in m.group(0).split("\n"))
    text = re.sub(r"\$\$.+?\$\$", one_line, text, flags=re.S)
    return re.sub(r"(?<![\\$])\$(?!\$)[^$]+?(?<![\\$])\$(?!\$)", one_line, text, flags=re.S)


def _quote(lines: list[str]) -> list[str]:
    """Prefix Markdown ``lines`` with "> ", keeping math and code blocks intact."""
    out = []
    for kind, block in _split_blocks(lines):
        if kind == "text":
            block = _join_math_lines("\n".join(block)).split("\n")
        out.extend(f"> {line}".rstrip() for line in block)
    return out


class Converter:
    """Turns one chapter's MyST Markdown into plain Markdown."""

    def __init__(self, index: Index, chapter: int, doc_dir: str = "chapters"):
        self.index = index
        self.chapter = chapter
        self.doc_dir = doc_dir
        self.counts: dict[str, int] = {}
        self.numbers = SectionNumbers(chapter)
        self.problems: list[str] = []

    # roles ---------------------------------------------------------------------------------
    def _ref(self, content: str) -> str:
        m = re.match(r"^(?P<text>.*?)\s*<(?P<label>[^>]+)>$", content, re.S)
        if m and m.group("text"):
            return m.group("text")
        label = (m.group("label") if m else content).strip()
        if label in self.index.labels:
            return self.index.labels[label]
        self.problems.append(f"unknown reference {label!r}")
        return label

    def _cite(self, keys: str, textual: bool) -> str:
        parts = []
        for key in (k.strip() for k in keys.split(",")):
            entry = self.index.bib.get(key)
            if entry is None:
                self.problems.append(f"unknown citation {key!r}")
                parts.append(key)
            elif textual:
                parts.append(f"{cite_author(entry)} ({entry.get('year', 'n.d.')})")
            else:
                parts.append(f"{cite_author(entry)} {entry.get('year', 'n.d.')}")
        return ", ".join(parts) if textual else f"({'; '.join(parts)})"

    def _doc(self, content: str) -> str:
        m = re.match(r"^(?P<text>.*?)\s*<(?P<target>[^>]+)>$", content, re.S)
        if m and m.group("text"):
            return m.group("text")
        target = (m.group("target") if m else content).strip()
        path = normpath(target.lstrip("/") if target.startswith("/") else str(Path(self.doc_dir, target)))
        title = self.index.docs.get(path)
        if title is None:
            self.problems.append(f"unknown document {target!r}")
            return target
        return f"*{title}* (`{path}{self.index.docs_suffix.get(path, '')}`)"

    def role(self, m: re.Match, before: str) -> str:
        name, content = m.group("name"), m.group("content")
        if name.startswith("glue"):
            return m.group(0)  # values glued by myst-nb: only the book can show them
        if name in ("cite", "cite:p", "cite:ps", "cite:alp", "cite:empty"):
            return self._cite(content, textual=False)
        if name in ("cite:t", "cite:ts", "cite:alt", "cite:author"):
            return self._cite(content, textual=True)
        if name in ("ref", "numref", "prf:ref", "eq", "term"):
            text = self._ref(content)
            if name == "numref" and "%s" in text:
                text = text.replace("%s", "")
            kind = text.split(" ")[0]
            if before.rstrip().lower().endswith(kind.lower()) and kind in ("Exercise", "Theorem", "Algorithm"):
                text = text[len(kind) + 1:]  # "Exercise {ref}`x`": do not write "Exercise Exercise 10.3"
            return text
        if name == "doc":
            return self._doc(content)
        if name == "math":
            return f"${content}$"
        if name in ("sub", "sup", "abbr", "code", "literal", "samp", "kbd", "file", "command", "program",
                    "dfn", "guilabel", "menuselection"):
            return f"`{content}`" if name in ("code", "literal", "samp", "kbd", "file", "command") else content
        self.problems.append(f"unknown role {{{name}}}")
        return content

    def roles(self, text: str) -> str:
        out, last = [], 0
        for m in ROLE.finditer(text):
            out.append(text[last:m.start()])
            out.append(self.role(m, "".join(out)[-40:]))
            last = m.end()
        out.append(text[last:])
        return "".join(out)

    # blocks --------------------------------------------------------------------------------
    def directive(self, m: re.Match, body: list[str]) -> list[str]:
        name, args = m.group("name"), m.group("args")
        options, k = {}, 0
        while k < len(body) and OPTION.match(body[k]):
            opt = OPTION.match(body[k])
            options[opt.group("key")] = opt.group("value")
            k += 1
        content = self.lines(body[k:])
        while content and not content[0].strip():
            content.pop(0)
        while content and not content[-1].strip():
            content.pop()
        label = options.get("label")
        anchor = []
        if name == "exercise":
            self.counts["exercise"] = self.counts.get("exercise", 0) + 1
            title = f"Exercise {self.chapter}.{self.counts['exercise']}"
            title = f"**{title}: {self.roles(args)}**" if args else f"**{title}**"
            if label:
                anchor = [f'<a id="{label}"></a>', ""]
        elif name.startswith("prf:"):
            kind = name[4:]
            word = PROOF_TYPES.get(kind, kind.title())
            if kind == "proof":
                title = f"**{word}.**"
            else:
                self.counts[kind] = self.counts.get(kind, 0) + 1
                title = f"**{word} {self.chapter}.{self.counts[kind]}" + (f" ({self.roles(args)})" if args else "")
                title += ".**"
            if label:
                anchor = [f'<a id="{label}"></a>', ""]
        elif name in ("glue", "glue:figure", "glue:math"):
            return [m.group(0), *body, m.group("fence")]  # left for the book: only it has the values
        elif name in ADMONITIONS:
            word = args if (name == "admonition" or args) and args else name.replace("seealso", "see also").title()
            if name == "dropdown" or "dropdown" in options.get("class", "").split():
                # Collapsed in the book, collapsed in JupyterLab too: an HTML <details> block
                # whose inside, set off by blank lines, is still read as Markdown.
                return ["", *anchor, "<details>", f"<summary><b>{self.roles(word)}</b></summary>", "",
                        *content, "", "</details>", ""]
            title = f"**{self.roles(word)}**"
        elif name in ("math",):
            return ["$$", *body[k:], "$$"]
        elif name in ("code-block", "code", "code-cell", "sourcecode"):
            return [f"```{args}", *body[k:], "```"]
        else:
            self.problems.append(f"unknown directive {{{name}}}")
            title = f"**{name.title()}" + (f": {self.roles(args)}" if args else "") + "**"
        return ["", *anchor, *_quote([title, *([""] if content else []), *content]), ""]

    def lines(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        for kind, block in _split_blocks(lines):
            if kind == "code":
                out.extend(block)
            elif kind == "directive":
                out.extend(self.directive(*block))
            else:
                for line in self.roles("\n".join(block)).split("\n"):
                    if TARGET.match(line):
                        label = TARGET.match(line).group("label")
                        out.append(f'<a id="{label}"></a>')
                    elif re.match(r"^%", line) or re.match(r"^\+\+\+", line):
                        continue  # MyST comments and block breaks
                    elif HEADING.match(line):  # the number the book's table of contents gives it
                        hashes, number, title = self.numbers.next(line)
                        out.append(f"{hashes} {number} {title}")
                    else:
                        out.append(line)
        return out

    def convert(self, text: str) -> str:
        return re.sub(r"\n{3,}", "\n\n", "\n".join(self.lines(text.split("\n")))).strip("\n")


def convert_notebook(nb: dict, index: Index, chapter: int) -> tuple[dict, list[str]]:
    """A copy of ``nb`` whose markdown cells are plain Markdown; code cells are left as they are."""
    nb = copy.deepcopy(nb)
    converter = Converter(index, chapter)
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = converter.convert(source)
    return nb, converter.problems


def make_workspace(chapters_dir: Path, dest: Path, out=None) -> tuple[list[str], list[str]]:
    """Copy each chapter of ``chapters_dir`` into ``dest`` unless a copy is there: (added, kept)."""
    out = out or sys.stdout
    chapters = sorted(chapters_dir.glob("*.ipynb"))
    index = build_index(chapters, chapters_dir.resolve().parent)
    dest.mkdir(parents=True, exist_ok=True)
    added, kept = [], []
    for path in chapters:
        target = dest / path.name
        if target.exists():
            kept.append(path.name)
            continue
        nb, problems = convert_notebook(json.loads(path.read_text(encoding="utf-8")), index, chapter_number(path))
        for problem in problems:
            print(f"warning: {path.name}: {problem}", file=sys.stderr)
        try:  # "x": never replaces a file, even one that appeared in the meantime
            with open(target, "x", encoding="utf-8") as f:
                f.write(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
        except FileExistsError:
            kept.append(path.name)
            continue
        added.append(path.name)
    if added:
        print(f"Added {len(added)} chapter(s) to {dest}/: {', '.join(added)}", file=out)
    if kept:
        print(f"Kept {len(kept)} chapter(s) already in {dest}/, untouched: {', '.join(kept)}", file=out)
        print("  (to start a chapter afresh, rename or delete your copy and run `make workspace` again)", file=out)
    if not added and not kept:
        print(f"No chapter found in {chapters_dir}/", file=out)
    return added, kept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chapters", type=Path, default=ROOT / "chapters")
    parser.add_argument("--dest", type=Path, default=Path("workspace"))
    args = parser.parse_args(argv)
    added, kept = make_workspace(args.chapters, args.dest)
    if added or kept:
        print("Open it with `make lab`; see how far you have got with `make progress`.")
    return 0 if added or kept else 1


if __name__ == "__main__":
    sys.exit(main())
