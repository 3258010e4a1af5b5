"""The sandboxed run of one submission: its cells execute in isolation and
come back as data (record.json, arrays.npz), never as live objects.

The sandbox gets the training split only; a slice of it stands in for the test
split so the student's own evaluation cell still runs. Check cells, with their
hidden tests, are removed before the notebook goes in.
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

from . import notebooks, sandbox
from .mnist import keras_home
from .records import read_arrays, read_record
from .settings import Settings

HERE = Path(__file__).resolve().parent
KIT_ROOT = HERE.parent  # the kit's own solutions/, results/ and checks, wherever the course is
SANDBOX_FILES = (HERE / "harness.py", HERE / "probes.py")
STAND_IN_TEST_IMAGES = 2000


EXPORTS = {"record.json": 20 * (1 << 20), "arrays.npz": 200 * (1 << 20)}


@dataclass
class RunResult:
    outcome: sandbox.Outcome
    folder: Path  # where the exports were copied: record.json, arrays.npz, output.log

    @property
    def record(self) -> dict:
        return read_record(self.folder)

    @property
    def arrays(self) -> dict[str, np.ndarray]:
        return read_arrays(self.folder)


def training_split(mnist: Path, into: Path) -> Path:
    """The training images only, with their last images standing in for the test split."""
    path = into / "train_only.npz"
    if not path.exists():
        partial = into / "train_only.partial.npz"
        with np.load(mnist, allow_pickle=False) as data:
            x, y = data["x_train"], data["y_train"]
            np.savez(partial, x_train=x, y_train=y, x_test=x[-STAND_IN_TEST_IMAGES:], y_test=y[-STAND_IN_TEST_IMAGES:])
        partial.chmod(0o444)
        partial.replace(path)  # a run cut short never leaves half a file to be reused
    return path


def without_checks(nb: NotebookNode) -> NotebookNode:
    """The notebook with every check cell (and its hidden tests) removed."""
    stripped = copy.deepcopy(nb)
    stripped.cells = [cell for cell in stripped.cells if not notebooks.is_self_check(cell)]
    return stripped


def run_submission(nb: NotebookNode, data: Path, settings: Settings, seed: int, into: Path) -> RunResult:
    """Execute `nb` in a fresh sandbox on `data` (a training-only split); copy its exports `into`."""
    with tempfile.TemporaryDirectory(prefix="autograder-run-") as base:
        workdir = Path(base) / "work"
        out = workdir / "out"
        out.mkdir(parents=True)
        for path in SANDBOX_FILES:
            shutil.copy(path, workdir)
        nbformat.write(without_checks(nb), str(workdir / "submission.ipynb"))
        os.link(data, workdir / "data.npz") if same_device(data, workdir) else shutil.copy(data, workdir / "data.npz")
        give_to_sandbox_user(workdir)
        confinement = sandbox.Confinement(
            workdir=workdir, hide=hidden_paths(settings, data, Path(base)),
            expose=(Path(os.path.realpath(sys.base_prefix)), Path(sys.prefix), workdir))
        command = [sys.executable, "-I", "harness.py", "submission.ipynb", "data.npz", "out", str(seed)]
        outcome = sandbox.run(command, confinement, settings.limits, sandbox_environment(workdir, settings))
        copy_exports(out, into)
        (into / "output.log").write_text(outcome.output_tail)
        return RunResult(outcome, into)


def copy_exports(out: Path, into: Path) -> None:
    """Copy the expected files only: regular files within their size caps, no symlink followed
    anywhere (the folder is the student's: `out` itself may have been swapped for a link)."""
    into.mkdir(parents=True, exist_ok=True)
    for name in EXPORTS:
        (into / name).unlink(missing_ok=True)
    try:
        folder = os.open(out, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return
    try:
        for name, cap in EXPORTS.items():
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
    """Everything the student must not read: the course, the data, homes, temp dirs."""
    candidates = [settings.course_root, KIT_ROOT, data.resolve().parent, Path.home(), keras_home(), settings.cache_dir,
                  Path(tempfile.gettempdir()), base.parent, Path("/var/tmp"), Path("/dev/shm")]
    if settings.mnist_path:
        candidates.append(Path(settings.mnist_path).resolve().parent)
    return tuple(dict.fromkeys(path.resolve() for path in candidates if path.is_dir()))


def sandbox_environment(workdir: Path, settings: Settings) -> dict[str, str]:
    """A scrubbed environment: nothing of the grader's, threads sized for one worker."""
    threads = str(settings.threads_per_worker)
    return {"PATH": "/usr/bin:/bin", "HOME": str(workdir), "TMPDIR": str(workdir), "LANG": "C.UTF-8",
            "MPLCONFIGDIR": str(workdir / ".matplotlib"), "KERAS_HOME": str(workdir / ".keras"),
            "MPLBACKEND": "Agg", "TF_CPP_MIN_LOG_LEVEL": "2", "OMP_NUM_THREADS": threads,
            "TF_NUM_INTRAOP_THREADS": threads, "TF_NUM_INTEROP_THREADS": "1", "PYTHONHASHSEED": "0"}


def give_to_sandbox_user(workdir: Path) -> None:
    if os.geteuid() != 0:
        return
    for path in [workdir, workdir / "out", *workdir.iterdir()]:
        if path.name != "data.npz":
            os.chown(path, sandbox.NOBODY, sandbox.NOBODY)


def same_device(a: Path, b: Path) -> bool:
    return a.stat().st_dev == b.stat().st_dev
