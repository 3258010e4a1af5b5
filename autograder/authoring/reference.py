"""Write the hidden reference solution (solutions/<assignment>/) from the source notebook.

The source notebook is the one place the solution is typed. From it come the
reference notebook (what a student who gets everything right submits) and
reference.py (the solution functions as a module the kit can import).
"""

import copy
import re
from pathlib import Path

from nbformat import NotebookNode

from ..course import notebooks
from ..course.files import load_module, write_text_atomically
from ..settings import Settings

DELIMITER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")
MODULE_HEADER = '''"""Reference solution of {assignment}: generated from {source} by
`python -m autograder derive`. Edit the source notebook, not this file."""

'''


def reference_notebook(source: NotebookNode) -> NotebookNode:
    """The source without its solution delimiters: a perfect submission as nbgrader's
    sanitize step leaves it, hidden tests included, so running it runs them too."""
    nb = copy.deepcopy(source)
    for cell in nb.cells:
        cell.source = without_delimiters(cell.source)
    return nb


def reference_module(source: NotebookNode, settings: Settings) -> str:
    """The setup cell's imports followed by every solution code cell, as one module."""
    setup = notebooks.cell_by_id(source, "setup").source.splitlines()
    imports = [line for line in setup if line.startswith(("import ", "from "))]
    solutions = [without_delimiters(cell.source) for cell in source.cells
                 if cell.cell_type == "code" and notebooks.is_solution(cell)]
    header = MODULE_HEADER.format(assignment=settings.assignment,
                                  source=settings.source_notebook.relative_to(settings.course_root))
    return header + "\n".join(imports) + "\n\n\n" + "\n\n\n".join(solutions) + "\n"


def without_delimiters(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not DELIMITER.match(line))


def write_module(settings: Settings, into: Path | None = None) -> Path:
    """Write reference.py from the source notebook's solution cells."""
    path = (into or settings.solutions_dir) / "reference.py"
    return write_text_atomically(path, reference_module(notebooks.read(settings.source_notebook), settings))


def write_notebook(settings: Settings, into: Path | None = None) -> Path:
    """Write the reference notebook, a perfect submission, from the source notebook."""
    path = (into or settings.solutions_dir) / f"{settings.assignment}.ipynb"
    notebooks.write(reference_notebook(notebooks.read(settings.source_notebook)), path)
    return path


def load_reference(settings: Settings):
    """Import solutions/<assignment>/reference.py as a module (trusted instructor code)."""
    return load_module(settings.solutions_dir / "reference.py", f"{settings.assignment}_reference")
