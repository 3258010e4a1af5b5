"""Files the kit writes or loads: whole or not at all, and trusted modules by path."""

import importlib.util
import os
from pathlib import Path
from types import ModuleType
from typing import Callable


def write_atomically(path: Path, write: Callable[[Path], object]) -> Path:
    """Call `write(partial)` on a sibling file, then rename it over `path`: a crash leaves
    the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        write(partial)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def write_text_atomically(path: Path, text: str) -> Path:
    return write_atomically(path, lambda partial: partial.write_text(text))


def load_module(path: Path, name: str) -> ModuleType:
    """Import the Python file at `path` as module `name` (trusted instructor code only)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
