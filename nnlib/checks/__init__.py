"""Exercise checks: ``nnlib.checks.chNN`` holds chapter NN's; the machinery they share is ``nnlib.checks._core``.

>>> from nnlib import checks
>>> checks.ch01.check_sigmoid  # doctest: +ELLIPSIS
<function check_sigmoid at 0x...>
"""

from __future__ import annotations

import importlib
import pkgutil

from nnlib.checks._core import ExerciseFailure, call_student, expect_array, expect_scalar, passed

__all__ = ["ExerciseFailure", "call_student", "expect_array", "expect_scalar", "passed"]

# Import every chapter module (ch01, ch02, ...) so that `checks.ch01.check_x` works.
for _info in pkgutil.iter_modules(__path__):
    if _info.name.startswith("ch"):
        globals()[_info.name] = importlib.import_module(f"{__name__}.{_info.name}")
        __all__.append(_info.name)
