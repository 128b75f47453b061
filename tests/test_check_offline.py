"""scripts/check_offline.py must fail on the faults it exists to catch.

The network check is plain Python; the typesetting check opens tiny pages that load
the book's own MathJax (``_assets/mathjax``) in headless Chromium, and is skipped
where Chromium is not installed.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import check_offline  # noqa: E402

MATHJAX_CONFIG = ('<script>window.MathJax = {"options": {"processHtmlClass": "math"}}</script>'
                  '<script defer src="{src}"></script>')


def _page(tmp_path: Path, body: str, name: str = "page.html") -> Path:
    src = (ROOT / "_assets" / "mathjax" / "tex-mml-chtml.js").as_uri()
    page = tmp_path / name
    page.write_text(f"<html><head>{MATHJAX_CONFIG.replace('{src}', src)}</head><body>{body}</body></html>")
    return page


@pytest.mark.parametrize("tag, external", [
    ('<script src="https://cdn.example.org/mathjax.js"></script>', True),
    ('<link rel="stylesheet" href="//fonts.example.org/a.css">', True),
    ('<img src="http://example.org/plot.png">', True),
    ('<script src="_static/mathjax/tex-mml-chtml.js"></script>', False),
    ('<a href="https://example.org/paper.pdf">a link is not a load</a>', False),
])
def test_external_loads_are_found(tmp_path, tag, external):
    (tmp_path / "index.html").write_text(f"<html><head>{tag}</head><body></body></html>")
    assert bool(check_offline.external_loads(tmp_path)) is external


needs_chromium = pytest.mark.skipif(
    shutil.which("chromium") is None and shutil.which("chromium-browser") is None,
    reason="Chromium is not installed; the typesetting check skips itself likewise")


@needs_chromium
@pytest.mark.parametrize("math, verdict", [
    (r"\(a^\top b + \sigma'(z)\)", "typeset"),
    (r"\(\sigmoid(z)\)", "undefined control sequence"),
    (r"\(x^{2\)", "math left as raw text"),
])
def test_typesetting_check_passes_good_math_and_names_the_fault(tmp_path, math, verdict):
    ok, n, message = check_offline.chromium_typesets(_page(tmp_path, f'<p class="math">{math}</p>'))
    assert verdict in message, message
    assert ok is (verdict == "typeset")
    assert n == (0 if verdict == "math left as raw text" else 1)
