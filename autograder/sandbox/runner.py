"""The grader's side of one sandboxed run: prepare the workdir, run the submission
confined, copy its exports out. Student code comes back as data (exports.py),
never as live objects.

The sandbox gets the training split only (data.splits). Self-check cells, with
their hidden tests, are removed before the notebook goes in.
"""

import copy
import os
import shutil
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
import numpy as np
from nbformat import NotebookNode

from ..course import notebooks
from ..data.mnist import keras_home
from ..settings import KIT_ROOT, Limits, Settings
from . import confinement
from .cancellation import Cancellation
from .exports import read_arrays, read_record
from .inside.record_format import ARRAYS, RECORD

INSIDE = Path(__file__).resolve().parent / "inside"
PACKAGE = "grader_inside"  # the name the inside package has in the workdir
LAUNCH = f"import sys; sys.path.insert(0, ''); from {PACKAGE}.harness import main; main(*sys.argv[1:])"


@dataclass
class RunResult:
    outcome: confinement.Outcome
    folder: Path  # where the exports were copied: record.json, arrays.npz, output.log
    limits: Limits

    @property
    def record(self) -> dict:
        return read_record(self.folder)

    @property
    def arrays(self) -> dict[str, np.ndarray]:
        return read_arrays(self.folder, self.limits.unpacked_arrays_bytes)


def without_self_checks(nb: NotebookNode) -> NotebookNode:
    stripped = copy.deepcopy(nb)
    stripped.cells = [cell for cell in stripped.cells if not notebooks.is_self_check(cell)]
    return stripped


def run_submission(nb: NotebookNode, data: Path, settings: Settings, seed: int, into: Path, threads: int | None = None,
                   cancellation: Cancellation | None = None) -> RunResult:
    """Execute `nb` in a fresh sandbox on `data` (a training-only split) with `threads`
    compute threads; copy its exports `into`."""
    with tempfile.TemporaryDirectory(prefix="autograder-run-") as base:
        workdir = Path(base) / "work"
        out = workdir / "out"
        out.mkdir(parents=True)
        shutil.copytree(INSIDE, workdir / PACKAGE, ignore=shutil.ignore_patterns("__pycache__"))
        nbformat.write(without_self_checks(nb), str(workdir / "submission.ipynb"))
        os.link(data, workdir / "data.npz") if same_device(data, workdir) else shutil.copy(data, workdir / "data.npz")
        give_to_sandbox_user(workdir)
        confined = confinement.Confinement(
            workdir=workdir, hide=hidden_paths(settings, data, Path(base)),
            expose=(Path(os.path.realpath(sys.base_prefix)), Path(sys.prefix), workdir))
        command = [sys.executable, "-I", "-c", LAUNCH, "submission.ipynb", "data.npz", "out", str(seed)]
        outcome = confinement.run(command, confined, settings.limits, sandbox_environment(workdir, threads or os.cpu_count() or 1),
                                  cancellation)
        copy_exports(out, into, {RECORD: settings.limits.record_bytes, ARRAYS: settings.limits.arrays_bytes})
        (into / "output.log").write_text(outcome.output_tail)
        return RunResult(outcome, into, settings.limits)


def copy_exports(out: Path, into: Path, caps: dict[str, int]) -> None:
    """Copy the expected files only: regular files within their size caps, no symlink followed
    anywhere (the folder is the student's: `out` itself may have been swapped for a link)."""
    into.mkdir(parents=True, exist_ok=True)
    for name in caps:
        (into / name).unlink(missing_ok=True)
    try:
        folder = os.open(out, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return
    try:
        for name, cap in caps.items():
            try:
                handle = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=folder)
            except OSError:
                continue
            with os.fdopen(handle, "rb") as source:
                info = os.fstat(source.fileno())
                if stat.S_ISREG(info.st_mode) and info.st_size <= cap:
                    (into / name).write_bytes(source.read(cap))
    finally:
        os.close(folder)


def hidden_paths(settings: Settings, data: Path, base: Path) -> tuple[Path, ...]:
    """Everything the student must not read: the course, every result, the data, homes, temp dirs."""
    candidates = [settings.course_root, KIT_ROOT, settings.results_dir.parent, data.resolve().parent, Path.home(),
                  keras_home(), settings.cache_dir, Path(tempfile.gettempdir()), base.parent, Path("/var/tmp"),
                  Path("/dev/shm")]
    if settings.mnist_path:
        candidates.append(Path(settings.mnist_path).resolve().parent)
    return tuple(dict.fromkeys(path.resolve() for path in candidates if path.is_dir()))


def sandbox_environment(workdir: Path, threads: int) -> dict[str, str]:
    """A scrubbed environment: nothing of the grader's, compute threads sized for one worker."""
    return {"PATH": "/usr/bin:/bin", "HOME": str(workdir), "TMPDIR": str(workdir), "LANG": "C.UTF-8",
            "MPLCONFIGDIR": str(workdir / ".matplotlib"), "KERAS_HOME": str(workdir / ".keras"),
            "MPLBACKEND": "Agg", "TF_CPP_MIN_LOG_LEVEL": "2", "OMP_NUM_THREADS": str(threads),
            "TF_NUM_INTRAOP_THREADS": str(threads), "TF_NUM_INTEROP_THREADS": "1", "PYTHONHASHSEED": "0"}


def give_to_sandbox_user(workdir: Path) -> None:
    if os.geteuid() != 0:
        return
    for path in (workdir, workdir / "out", workdir / "submission.ipynb"):  # the rest stays the grader's, read-only
        os.chown(path, confinement.NOBODY, confinement.NOBODY)


def same_device(a: Path, b: Path) -> bool:
    return a.stat().st_dev == b.stat().st_dev
