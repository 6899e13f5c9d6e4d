"""Lazy re-exports for packages that hold one class per module, named after it."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["lazy_classes"]


def lazy_classes(package: str, names: Iterable[str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` (PEP 562) that imports each class on first use.

    Importing one module of the package then does not import them all, which
    keeps the reader's start-up to the screens and widgets it shows.

    Args:
        package: The package's ``__name__``.
        names: The class names it re-exports; ``ResultsList`` lives in
            ``PACKAGE.results_list``.

    Returns:
        The ``__getattr__`` function.
    """
    known = frozenset(names)

    def __getattr__(name: str) -> Any:
        if name not in known:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
        return getattr(importlib.import_module(f"{package}.{module}"), name)

    return __getattr__
