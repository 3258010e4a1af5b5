"""Small, shared helpers for reading nbgrader notebooks."""

from pathlib import Path

import nbformat
from nbformat import NotebookNode


def read(path: Path) -> NotebookNode:
    return nbformat.read(str(path), as_version=4)


def write(nb: NotebookNode, path: Path) -> None:
    """Write atomically, so a crash never leaves half a notebook behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    nbformat.write(nb, str(partial))
    partial.replace(path)


def nbgrader_meta(cell: NotebookNode) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def grade_id(cell: NotebookNode) -> str | None:
    return nbgrader_meta(cell).get("grade_id")


def cell_by_id(nb: NotebookNode, wanted: str) -> NotebookNode:
    for cell in nb.cells:
        if grade_id(cell) == wanted:
            return cell
    raise KeyError(f"no cell with grade_id {wanted!r}")


def is_solution(cell: NotebookNode) -> bool:
    return bool(nbgrader_meta(cell).get("solution"))


def is_self_check(cell: NotebookNode) -> bool:
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")
