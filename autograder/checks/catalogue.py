"""The checks the grader runs, per graded cell, read from their `points` markers (never run)."""

import importlib
import pkgutil

from . import __path__ as CHECKS_PATH


def checks_by_cell() -> dict[str, list[tuple[str, float]]]:
    """{grade cell: [(check as people read it, points)]}, in the order the modules define them."""
    found: dict[str, list[tuple[str, float]]] = {}
    for module in sorted(info.name for info in pkgutil.iter_modules(CHECKS_PATH) if info.name.startswith("test_")):
        for name, function in vars(importlib.import_module(f"{__package__}.{module}")).items():
            for mark in getattr(function, "pytestmark", []) if name.startswith("test_") else []:
                if mark.name == "points":
                    cell, points = mark.args
                    found.setdefault(cell, []).append((name.removeprefix("test_").replace("_", " "), points))
    return found
