"""Run a notebook top to bottom in a fresh kernel, as a student's Restart & Run All would.

This is the trusted path (reference, demo, tests). Student submissions get the
sandboxed runner of the grading pipeline instead.
"""

import os
from pathlib import Path

from nbclient import NotebookClient
from nbformat import NotebookNode


def execute(nb: NotebookNode, workdir: Path, env: dict[str, str], timeout: int) -> NotebookNode:
    """Execute `nb` in place, carrying on past errors so every self-check reports."""
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(workdir)}})
    quiet = {"MPLBACKEND": "module://matplotlib_inline.backend_inline", "TF_CPP_MIN_LOG_LEVEL": "2"}
    client.execute(env={**os.environ, **quiet, **env})
    return nb
