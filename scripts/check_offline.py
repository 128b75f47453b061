"""Check that the built book loads nothing from the network and typesets its math offline.

Usage: ``python scripts/check_offline.py [_build/html]``

1. Every ``<script src>``, ``<link href>`` (stylesheets, fonts, preloads) and
   ``<img src>`` in every page must point inside the build.
2. If Chromium is installed, every page with math is opened headless with every
   host unresolvable and no proxy reachable; MathJax must have typeset its
   formulas (``mjx-container`` elements present), with no MathJax error (a TeX
   syntax error), no undefined control sequence (which MathJax shows as red
   text instead of failing) and no formula left as raw ``\\(...\\)`` text.
   Without Chromium this step is reported as skipped.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

EXTERNAL = re.compile(
    r"<(?:script|img|iframe)\b[^>]*\bsrc=[\"'](?:https?:)?//|"
    r"<link\b(?=[^>]*\brel=[\"'](?:stylesheet|preload|modulepreload|icon)[\"'])[^>]*\bhref=[\"'](?:https?:)?//",
    re.IGNORECASE,
)


def external_loads(root: Path) -> list[str]:
    problems = []
    for page in sorted(root.rglob("*.html")):
        for match in EXTERNAL.finditer(page.read_text(errors="ignore")):
            problems.append(f"{page.relative_to(root)}: {match.group(0)[:120]}")
    return problems


def chromium_typesets(page: Path) -> tuple[bool | None, int, str]:
    """Open ``page`` headless and offline: (passed or None if no Chromium, formulas typeset, message)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        return (
            None,
            0,
            "chromium not installed: offline typesetting not checked (apt-get install chromium)",
        )
    with tempfile.TemporaryDirectory() as profile:
        cmd = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--proxy-server=127.0.0.1:9",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=15000",
            "--dump-dom",
            page.resolve().as_uri(),
        ]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=120).stdout
    n = out.count("<mjx-container")
    if "<mjx-merror" in out:
        return False, n, "MathJax reported a TeX error while typesetting"
    undefined = re.findall(r'<mtext mathcolor="red">(.*?)</mtext>', out)
    if undefined or 'style="color: red;"' in out:
        return False, n, f"undefined control sequence(s) {sorted(set(undefined)) or '(shown in red)'}"
    # A formula MathJax cannot even delimit (an unbalanced brace) stays as raw text.
    prose = re.sub(r"<(pre|script|code|mjx-container)\b.*?</\1>", "", out, flags=re.S)
    raw = re.search(r"\\\(|\\\[|\$\$", prose)
    if raw:
        return False, n, f"math left as raw text: {prose[raw.start():raw.start() + 60]!r}"
    return n > 0, n, f"{n} formulas typeset by MathJax with the network blocked"


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "_build/html")
    if not (root / "index.html").is_file():
        print(f"no built book at {root}: run make book first", file=sys.stderr)
        return 2
    problems = external_loads(root)
    if problems:
        print("pages load resources from the network:\n  " + "\n  ".join(problems[:20]))
        return 1
    print(f"offline: no page under {root} loads a resource from the network")
    pages = [
        p
        for p in sorted(root.rglob("*.html"))
        if not p.relative_to(root).parts[0].startswith("_")
        and ("\\(" in (text := p.read_text(errors="ignore")) or "\\[" in text or "$$" in text)
    ]
    failed, formulas = [], 0
    for page in pages:
        ok, n, message = chromium_typesets(page)
        if ok is None:
            print(f"offline math: {message}")
            return 0
        if not ok:
            failed.append(f"{page.relative_to(root)}: {message}")
        formulas += n
    if failed:
        print("offline math failed on:\n  " + "\n  ".join(failed))
        return 1
    print(f"offline math: {formulas} formulas on {len(pages)} pages typeset by MathJax "
          "with the network blocked, without an error or an undefined macro")
    return 0


if __name__ == "__main__":
    sys.exit(main())
