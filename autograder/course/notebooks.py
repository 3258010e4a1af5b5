"""Reading and writing nbgrader notebooks, and what their cells' metadata say."""

from pathlib import Path

import nbformat
from nbformat import NotebookNode

from .files import write_atomically


def read(path: Path) -> NotebookNode:
    return nbformat.read(str(path), as_version=4)


def write(nb: NotebookNode, path: Path) -> Path:
    return write_atomically(path, lambda partial: nbformat.write(nb, str(partial)))


def nbgrader_meta(cell: NotebookNode) -> dict:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


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


def cell_points(release: NotebookNode) -> dict[str, float]:
    """Each self-check cell's points, as the release declares them."""
    return {grade_id(cell): float(nbgrader_meta(cell)["points"]) for cell in release.cells if is_self_check(cell)}
