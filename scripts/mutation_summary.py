"""Summarise `mutmut results --all true`: the mutation score, raw and per module.

    python scripts/mutation_summary.py mutants/results.txt

Each line of the results reads "    nnlib.network.xǁNetworkǁ_backward__mutmut_7: killed".
The score is killed / (killed + survived); mutants that timed out count as killed
(the tests noticed something), and those that were never checked are listed apart.
Equivalent mutants (a change no test could notice, such as a default that is never
used) are judged by hand: see MUTATION.md.
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

LINE = re.compile(r"^\s*(?P<name>nnlib\.(?P<module>[\w]+)\.\S+?)__mutmut_\d+:\s*(?P<status>.+?)\s*$")
KILLED = {"killed", "timeout", "segfault", "suspicious"}


def summarise(lines: list[str]) -> tuple[Counter, dict[str, Counter], list[str]]:
    """Count the statuses overall and per module; list the surviving mutants."""
    total: Counter = Counter()
    per_module: dict[str, Counter] = defaultdict(Counter)
    survivors = []
    for line in lines:
        m = LINE.match(line)
        if not m:
            continue
        status = m.group("status")
        total[status] += 1
        per_module[m.group("module")][status] += 1
        if status == "survived":
            survivors.append(line.strip().rsplit(":", 1)[0])
    return total, per_module, survivors


def score(counts: Counter) -> tuple[int, int, float]:
    killed = sum(n for s, n in counts.items() if s in KILLED)
    judged = killed + counts["survived"]
    return killed, judged, (100.0 * killed / judged if judged else float("nan"))


def main(argv: list[str] | None = None) -> int:
    path = Path((argv or sys.argv[1:] or ["mutants/results.txt"])[0])
    total, per_module, survivors = summarise(path.read_text(encoding="utf-8").splitlines())
    if not total:
        print(f"no mutants found in {path}")
        return 1
    for module, counts in sorted(per_module.items()):
        killed, judged, pct = score(counts)
        print(f"{module:<14} {killed:>5}/{judged:<5} killed  {pct:5.1f}%")
    killed, judged, pct = score(total)
    print(f"{'all':<14} {killed:>5}/{judged:<5} killed  {pct:5.1f}%   "
          f"({', '.join(f'{n} {s}' for s, n in sorted(total.items()))})")
    print(f"{len(survivors)} survivors; list them with `.venv-mutation/bin/mutmut results`, "
          "inspect one with `.venv-mutation/bin/mutmut show NAME`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
