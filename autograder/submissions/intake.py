"""Intake: read a submitted file as a notebook and restore what the student may not change.

Like nbgrader's OverwriteCells: locked cells and check cells come back from the
release, so whatever runs is the instructor's code plus the student's answers.
"""

import copy
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import nbformat
from nbformat import NotebookNode

from ..course import notebooks

CHUNK = 1 << 20
# Parsing JSON costs memory per object, not per byte: 16 MB of `{},{},...` takes Python 2.8 GB and 24 s.
# A notebook, outputs and all, holds a few thousand objects and lists ({ and [ in its text, strings'
# included, count as an upper bound); this many costs some 100 MB.
MOST_CONTAINERS = 200_000
HIDDEN_TESTS = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS[ \t]*\n?", re.S | re.M)


class NotANotebook(Exception):
    """The file cannot be read as a Jupyter notebook; the message says why."""


@dataclass
class Intake:
    notebook: NotebookNode
    altered: list[str] = field(default_factory=list)


def content_hash(path: Path) -> str:
    with path.open("rb") as file:  # streamed: memory does not grow with the file
        return hashlib.file_digest(file, "sha256").hexdigest()


def too_large(path: Path, limit: int) -> str | None:
    """Why this file is not read at all, when it is over the notebook limit. (An LMS import copies a
    member only up to one byte past the limit, so the size said is "at least".)"""
    size = path.stat().st_size
    if size <= limit:
        return None
    return (f"{path.name} is too large to grade: at least {size:,} bytes, over the {limit:,} bytes a notebook may "
            "bring in (Limits.notebook_bytes), so it was not read. Its outputs are most likely what makes it so "
            "large: clear them (Edit > Clear All Outputs), save, and hand it in again.")


def copy_capped(source: BinaryIO, target: Path, limit: int) -> int:
    """Copy at most `limit` + 1 bytes of `source` (enough to tell it is over `limit`), in chunks; the
    bytes written. A zip member can lie about its size, so what counts is what actually comes out."""
    written = 0
    with target.open("wb") as sink:
        while written <= limit and (chunk := source.read(min(CHUNK, limit + 1 - written))):
            sink.write(chunk)
            written += len(chunk)
    return written


def read_submission(path: Path, validate: bool = True) -> NotebookNode:
    """Any nbformat 4 notebook, upgraded in memory; anything else raises NotANotebook. (Called on files
    within the notebook limit: too_large first. `validate`: against nbformat's schema too.)"""
    try:
        text = path.read_bytes()
        if (containers := text.count(b"{") + text.count(b"[")) > MOST_CONTAINERS:
            raise ValueError(f"{containers:,} JSON objects and lists, where a notebook has a few thousand: if its "
                             "outputs are what holds them, clear them (Edit > Clear All Outputs) and save")
        nb = nbformat.reads(text.decode("utf-8"), as_version=4)
        if validate:
            nbformat.validate(nb)
    except Exception as error:  # nbformat raises several kinds for a bad file
        first = str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__
        raise NotANotebook(f"{path.name} is not a valid Jupyter notebook ({first}); "
                           "submit the .ipynb file saved from Jupyter, JupyterLab or Colab") from None
    return nb


def strip_foreign_metadata(nb: NotebookNode, release: NotebookNode) -> list[str]:
    """Remove, in place, nbgrader metadata the release does not give that cell: an id the release
    does not have, a second cell with the same id, an id on a cell of another type. Copying cells
    between notebooks leaves such metadata; nbgrader would refuse the whole notebook for it."""
    released = {notebooks.grade_id(cell): cell.cell_type for cell in release.cells}
    seen, stripped = set(), []
    for cell in nb.cells:
        if "nbgrader" not in cell.get("metadata", {}):
            continue
        cell_id = notebooks.grade_id(cell)
        if cell_id is not None and released.get(cell_id) == cell.cell_type and cell_id not in seen:
            seen.add(cell_id)
            continue
        del cell.metadata["nbgrader"]
        stripped.append(str(cell_id))
    return stripped


def restore_protected_cells(submitted: NotebookNode, release: NotebookNode) -> Intake:
    """The submission with foreign nbgrader metadata removed and every locked or check cell as
    released; deleted ones put back in place. The student's own cells, extra ones included, stay."""
    restored = copy.deepcopy(submitted)
    altered = [f"{cell_id} (foreign nbgrader metadata)" for cell_id in strip_foreign_metadata(restored, release)]
    previous = None
    for cell in release.cells:
        cell_id = notebooks.grade_id(cell)
        if notebooks.nbgrader_meta(cell).get("locked") or notebooks.is_self_check(cell):
            position = index_of(restored, cell_id)
            if position is None:
                after = index_of(restored, previous)
                restored.cells.insert(0 if after is None else after + 1, copy.deepcopy(cell))
                altered.append(cell_id)
            elif visible(restored.cells[position].source) != visible(cell.source):
                restored.cells[position] = copy.deepcopy(cell)
                altered.append(cell_id)
        previous = cell_id if index_of(restored, cell_id) is not None else previous
    return Intake(restored, altered)


def index_of(nb: NotebookNode, cell_id: str | None) -> int | None:
    for index, cell in enumerate(nb.cells):
        if cell_id is not None and notebooks.grade_id(cell) == cell_id:
            return index
    return None


def visible(source: str) -> str:
    """A cell's text as the release shows it: hidden tests (which nbgrader restores) left out."""
    return HIDDEN_TESTS.sub("", source).strip()
