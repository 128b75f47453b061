"""Summarise `mutmut results --all true`: the mutation score, raw and without equivalents.

    python scripts/mutation_summary.py mutants/results.txt [mutation_survivors.toml]

Each line of the results reads "    nnlib.network.xǁNetworkǁ_backward__mutmut_7: killed".
The raw score is killed / (killed + survived); mutants that timed out count as killed
(the tests noticed something), and those that no test reaches are counted apart.

``mutation_survivors.toml`` (next to MUTATION.md) holds the verdict on each survivor of
the last judged run, one table per class, name = "reason":

    [equivalent]  # no input through the public API can tell it from the original
    [display]     # only a repr/str/progress-bar text changes, pinned elsewhere or not at all
    [constant]    # the last digit of an undocumented tolerance, not pinned on purpose

The score without equivalents is killed / (killed + survived - equivalent). A survivor
missing from the file is new (or renumbered: mutmut numbers the mutants of a function in
order, so an edit to the function renames them) and is listed to be judged; an entry that
no longer survives is listed as stale. The exit status is 1 when a survivor is unjudged.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

LINE = re.compile(r"^\s*(?P<name>nnlib\.(?P<module>[\w]+)\.\S+?__mutmut_\d+):\s*(?P<status>.+?)\s*$")
KILLED = {"killed", "timeout", "segfault", "suspicious"}
CLASSES = ("equivalent", "display", "constant")
DEFAULT_VERDICTS = Path(__file__).resolve().parent.parent / "mutation_survivors.toml"


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
            survivors.append(m.group("name"))
    return total, per_module, survivors


def load_verdicts(path: Path) -> dict[str, tuple[str, str]]:
    """name -> (class, reason) from the TOML file; unknown classes are an error."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    unknown = set(data) - set(CLASSES)
    if unknown:
        raise SystemExit(f"{path}: unknown class(es) {sorted(unknown)}; expected {list(CLASSES)}")
    verdicts: dict[str, tuple[str, str]] = {}
    for cls, entries in data.items():
        for name, reason in entries.items():
            if name in verdicts:
                raise SystemExit(f"{path}: {name} is listed twice")
            verdicts[name] = (cls, reason)
    return verdicts


def score(counts: Counter, equivalent: int = 0) -> tuple[int, int, float]:
    """killed, judged and the percentage, with ``equivalent`` survivors left out."""
    killed = sum(n for s, n in counts.items() if s in KILLED)
    judged = killed + counts["survived"] - equivalent
    return killed, judged, (100.0 * killed / judged if judged else float("nan"))


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    path = Path(args[0] if args else "mutants/results.txt")
    verdicts_path = Path(args[1]) if len(args) > 1 else DEFAULT_VERDICTS
    total, per_module, survivors = summarise(path.read_text(encoding="utf-8").splitlines())
    if not total:
        print(f"no mutants found in {path}")
        return 1
    verdicts = load_verdicts(verdicts_path) if verdicts_path.exists() else {}
    equivalent_per_module: Counter = Counter()
    for name in survivors:
        if verdicts.get(name, ("",))[0] == "equivalent":
            equivalent_per_module[LINE.match(f"{name}: survived").group("module")] += 1

    print(f"{'module':<14} {'killed/judged':>13}  {'raw':>6}  {'no equiv.':>9}")
    for module, counts in sorted(per_module.items()):
        killed, judged, raw = score(counts)
        _, _, net = score(counts, equivalent_per_module[module])
        print(f"{module:<14} {killed:>6}/{judged:<6}  {raw:5.1f}%  {net:8.1f}%")
    killed, judged, raw = score(total)
    _, judged_net, net = score(total, sum(equivalent_per_module.values()))
    print(f"{'all':<14} {killed:>6}/{judged:<6}  {raw:5.1f}%  {net:8.1f}%   "
          f"({', '.join(f'{n} {s}' for s, n in sorted(total.items()))})")
    print(f"without equivalents: {killed}/{judged_net} killed")

    by_class = Counter(verdicts[name][0] for name in survivors if name in verdicts)
    new = [name for name in survivors if name not in verdicts]
    stale = sorted(set(verdicts) - set(survivors))
    print(f"{len(survivors)} survivors: "
          + ", ".join(f"{by_class[c]} {c}" for c in CLASSES) + f", {len(new)} not judged yet")
    for name in new:
        print(f"  NEW  {name}   (judge it: mutmut show {name})")
    if stale:
        print(f"{len(stale)} entries of {verdicts_path.name} no longer survive (killed, or renumbered):")
        for name in stale:
            print(f"  STALE  {name}")
    return 1 if new else 0


if __name__ == "__main__":
    raise SystemExit(main())
