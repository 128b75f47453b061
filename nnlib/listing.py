"""Display nnlib's own source in a notebook, as the installed package defines it.

Chapter 5 reads the library through :func:`show_source`: a listing extracted by
``inspect`` when the notebook runs cannot drift from the code.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from pathlib import Path
from typing import Any

try:
    from IPython.display import Code, display
except ImportError:  # pragma: no cover - depends on the environment
    raise ImportError("nnlib.listing needs IPython (it displays in notebooks): pip install ipython") from None

__all__ = ["source_of", "show_source"]

LIBRARY_ROOT = Path(__file__).resolve().parent.parent


def source_of(obj: Any, docstring: bool = False) -> str:
    """Return the source of a function, method or class, dedented.

    Parameters
    ----------
    obj : function, method or class
        Anything ``inspect.getsource`` accepts.
    docstring : bool, default False
        Keep the docstring; by default it is left out (the API appendix has it).

    Returns
    -------
    str

    Examples
    --------
    >>> from nnlib.listing import source_of
    >>> from nnlib.optim import SGD
    >>> source_of(SGD.step).splitlines()[0]
    'def step(self, params, grads):'
    """
    try:
        src = textwrap.dedent(inspect.getsource(obj))
    except TypeError:
        raise TypeError(f"obj must be a function, method or class, got {type(obj).__name__}") from None
    body = ast.parse(src).body[0].body
    first = body[0]
    if not docstring and len(body) > 1 and isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        lines = src.splitlines(keepends=True)
        src = "".join(lines[: first.lineno - 1] + lines[first.end_lineno:])
    return src


def show_source(obj: Any, docstring: bool = False) -> str:
    """Print where ``obj`` is defined, display its source highlighted, and return the source.

    Parameters
    ----------
    obj : function, method or class
    docstring : bool, default False
        Keep the docstring in the listing.

    Returns
    -------
    str
        The source as displayed, so that a notebook can test what it showed.
    """
    src = source_of(obj, docstring)
    where = Path(inspect.getsourcefile(obj)).resolve()
    if where.is_relative_to(LIBRARY_ROOT):
        where = where.relative_to(LIBRARY_ROOT)
    print(f"{obj.__qualname__}, read from {where.as_posix()}")
    display(Listing(src, language="python"))
    return src


class Listing(Code):
    """IPython's highlighted ``Code``, whose long lines scroll sideways in the book instead of wrapping."""

    def _repr_html_(self) -> str:
        return super()._repr_html_().replace(
            "<pre>", '<pre style="white-space: pre; word-break: normal; overflow-x: auto">', 1)
