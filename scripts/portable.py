"""Run nbval under other floating-point kernels, and show that each changes bits.

Usage::

    python scripts/portable.py demo                 # which bits each environment changes
    python scripts/portable.py nbval ENV [ENV ...]  # nbval on every notebook, one pass per ENV

A machine with another processor runs other kernels: OpenBLAS picks its GEMM by
processor, and NumPy picks its loops for exp, log and tanh by the instructions
it finds. The last bits of a matrix product or a tanh then differ, and a number
printed from them must not. The environments below make this machine run the
kernels of other machines, so that nbval proves the committed outputs on them
too. ``native`` is the machine as it is. The passes run side by side (two at a
time), each in its own pytest process and kernels.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

if platform.machine() in ("x86_64", "AMD64"):
    ENVIRONMENTS: dict[str, dict[str, str]] = {
        "native": {},
        # The kernels of an AVX2 machine without AVX-512 (the processor of many CI runners):
        # its GEMM, and NumPy without its AVX-512 loops.
        "haswell": {"OPENBLAS_CORETYPE": "Haswell", "NPY_DISABLE_CPU_FEATURES": "X86_V4"},
        # An older GEMM: AVX without fused multiply-add.
        "sandybridge": {"OPENBLAS_CORETYPE": "Sandybridge"},
        # One BLAS thread: long products are summed in another order.
        "one-thread": {"OPENBLAS_NUM_THREADS": "1"},
        # NumPy's baseline loops instead of its AVX2/AVX-512 ones (exp, log, tanh).
        "baseline": {"NPY_DISABLE_CPU_FEATURES": "X86_V3"},
        # All of the above that can be combined: the pass `make test` runs.
        "mixed": {"OPENBLAS_CORETYPE": "Sandybridge", "OPENBLAS_NUM_THREADS": "1",
                  "NPY_DISABLE_CPU_FEATURES": "X86_V3"},
    }
else:  # ARM and others: no x86 kernels to choose, but the generic GEMM and one thread
    ENVIRONMENTS = {
        "native": {},
        "generic": {"OPENBLAS_CORETYPE": "ARMV8"},
        "one-thread": {"OPENBLAS_NUM_THREADS": "1"},
        "mixed": {"OPENBLAS_CORETYPE": "ARMV8", "OPENBLAS_NUM_THREADS": "1"},
    }

# Computations whose last bits depend on the kernels; each is hashed in every environment.
PROBE = r"""
import hashlib, numpy as np
rng = np.random.default_rng(0)
def h(a): return hashlib.sha1(np.ascontiguousarray(a).tobytes()).hexdigest()[:10]
A, B = rng.standard_normal((300, 200)), rng.standard_normal((200, 100))
D, E = rng.standard_normal((64, 1000)), rng.standard_normal((1000, 64))
x = rng.standard_normal(100_000)
print("matmul 300x200 @ 200x100", h(A @ B))
print("matmul 64x1000 @ 1000x64", h(D @ E))
print("tanh of 1e5 values      ", h(np.tanh(x)))
print("exp of 1e5 values       ", h(np.exp(x)))
"""


def environ(name: str) -> dict[str, str]:
    """The process environment for the named numeric environment."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "NPY_DISABLE_CPU_FEATURES")}
    env.update(ENVIRONMENTS[name])
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def probe(name: str) -> dict[str, str]:
    out = subprocess.run([PYTHON, "-c", PROBE], env=environ(name), capture_output=True,
                         text=True, check=True).stdout
    return dict(line.rsplit(" ", 1) for line in out.strip().splitlines())


def demo() -> int:
    """Print, for each environment, the computations whose bits differ from native."""
    native = probe("native")
    print(f"machine: {platform.machine()}; hashes of results, compared with the native run")
    for name in ENVIRONMENTS:
        if name == "native":
            continue
        result = probe(name)
        changed = [what.strip() for what in native if result[what] != native[what]]
        settings = " ".join(f"{k}={v}" for k, v in ENVIRONMENTS[name].items())
        print(f"  {name:<12} {settings}")
        print(f"  {'':<12} changes the bits of: {', '.join(changed) if changed else 'nothing here'}")
    return 0


def nbval(names: list[str], jobs: int = 2) -> int:
    """Run nbval on every notebook under each named environment, ``jobs`` at a time."""
    unknown = [n for n in names if n not in ENVIRONMENTS]
    if unknown:
        print(f"unknown environment(s) {unknown}; known: {sorted(ENVIRONMENTS)}", file=sys.stderr)
        return 2
    command = [PYTHON, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:randomly",
               "-p", "no:cacheprovider", "-q", "chapters"]
    pending, running, failed = list(names), [], []
    start = time.monotonic()
    while pending or running:
        while pending and len(running) < jobs:
            name = pending.pop(0)
            log = open(ROOT / f".nbval-{name}.log", "w")  # noqa: SIM115 (closed below)
            running.append((name, log, subprocess.Popen(command, cwd=ROOT, env=environ(name),
                                                        stdout=log, stderr=subprocess.STDOUT)))
        for item in list(running):
            name, log, process = item
            if process.poll() is None:
                continue
            running.remove(item)
            log.close()
            text = Path(log.name).read_text()
            summary = text.strip().splitlines()[-1] if text.strip() else "no output"
            settings = " ".join(f"{k}={v}" for k, v in ENVIRONMENTS[name].items()) or "(as the machine is)"
            print(f"nbval [{name}] {settings}: {summary}  ({time.monotonic() - start:.0f} s)", flush=True)
            if process.returncode != 0:
                failed.append(name)
                print(text)
            else:
                Path(log.name).unlink()
        time.sleep(0.2)
    if failed:
        print(f"nbval failed under: {', '.join(failed)}")
        return 1
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["demo"]:
        return demo()
    if argv[:1] == ["nbval"] and argv[1:]:
        return nbval(argv[1:])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
