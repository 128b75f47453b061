"""The examples in nnlib's docstrings run and print what they claim."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import nnlib  # noqa: E402

MODULES = sorted(["nnlib"] + [info.name for info in
                              pkgutil.walk_packages(nnlib.__path__, prefix="nnlib.")])
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    try:
        result = doctest.testmod(module, optionflags=FLAGS, report=True, verbose=False)
    finally:
        plt.close("all")
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"


def test_the_core_modules_have_examples():
    finder = doctest.DocTestFinder()
    counts = {}
    for name in ["nnlib.activations", "nnlib.losses", "nnlib.network", "nnlib.gradcheck"]:
        tests = finder.find(importlib.import_module(name))
        counts[name] = sum(len(t.examples) for t in tests)
    assert all(n > 0 for n in counts.values()), counts
