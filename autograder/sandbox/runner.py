"""The grader's side of a submission's sandboxed run, one process in two phases (inside/harness.py):
the probes (its definitions only, each step function probed alone) and the notebook (every
cell, then the trained model). It gets a fresh workdir; its exports are copied out as data
(exports.py), never as live objects.

The sandbox gets the training split only (data.splits). Self-check cells, with
their hidden tests, are removed before the notebook goes in.
"""

import copy
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat
import numpy as np
from nbformat import NotebookNode

from ..course import notebooks
from ..settings import Limits, Settings
from . import confinement
from .cancellation import Cancellation
from .exports import REFUSED, read_arrays, read_probes, read_record
from .inside.record_format import ARRAYS, EXPORTS, OUTPUTS, PROBE_ARRAYS, PROBE_RECORD, RECORD
from .leftovers import owned_name

INSIDE = Path(__file__).resolve().parent / "inside"
PACKAGE = "grader_inside"  # the name the inside package has in the workdir
LAUNCH = f"import sys; sys.path.insert(0, ''); from {PACKAGE}.harness import main; main(*sys.argv[1:])"


@dataclass
class RunResult:
    outcome: confinement.Outcome
    folder: Path  # where the exports were copied (record_format.EXPORTS) and the runs' output logs
    limits: Limits

    @property
    def record(self) -> dict:
        return read_record(self.folder)

    @property
    def probes(self) -> dict:
        return read_probes(self.folder)

    @property
    def arrays(self) -> dict[str, np.ndarray]:
        return read_arrays(self.folder, self.limits.unpacked_arrays_bytes)


def without_self_checks(nb: NotebookNode) -> NotebookNode:
    stripped = copy.deepcopy(nb)
    stripped.cells = [cell for cell in stripped.cells if not notebooks.is_self_check(cell)]
    return stripped


def run_submission(nb: NotebookNode, data: Path, settings: Settings, seed: int, into: Path,
                   cpus: tuple[int, ...] | None = None, cancellation: Cancellation | None = None) -> RunResult:
    """Probe `nb`'s step functions, then run the whole notebook on `data` (a training-only split), in one
    sandbox on `cpus` (default: every core); copy the exports `into`. The probes' answers go to a folder
    outside the sandbox, reached through a descriptor the harness closes before the notebook runs."""
    limits = settings.limits
    into.mkdir(parents=True, exist_ok=True)
    for name in (*EXPORTS, REFUSED):
        (into / name).unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix=owned_name("answers")) as private:  # outside the allow-list, and
        answers = Path(private) / "answers"  # below a folder of the grader's: unreachable by path without namespaces
        answers.mkdir()
        give_to_sandbox_user(answers)
        folder = os.open(answers, os.O_RDONLY | os.O_DIRECTORY)
        try:
            arguments = ["submission.ipynb", str(folder), str(seed), str(limits.probe_cpu_seconds),
                         str(limits.probe_wall_seconds), "data.npz", "out"]
            outcome = sandboxed(nb, data, arguments, settings, cpus, cancellation, into / "output.log",
                                (RECORD, ARRAYS, OUTPUTS), pass_fds=(folder,))
        finally:
            os.close(folder)
        copy_exports(answers, into, caps(limits, (PROBE_RECORD, PROBE_ARRAYS)))
    return RunResult(outcome, into, limits)


def sandboxed(nb: NotebookNode, data: Path, arguments: list[str], settings: Settings, cpus: tuple[int, ...] | None,
              cancellation: Cancellation | None, log: Path, exports: tuple[str, ...],
              pass_fds: tuple[int, ...] = ()) -> confinement.Outcome:
    """One confined process in a fresh workdir (the inside package, the notebook, the data if any);
    its `exports` are copied beside `log`, and nothing else it wrote."""
    with tempfile.TemporaryDirectory(prefix=owned_name("run")) as base, own_filesystem(Path(base), settings.limits):
        workdir = Path(base) / "work"
        out = workdir / "out"
        out.mkdir(parents=True)
        readable_copy(INSIDE, workdir / PACKAGE)
        nbformat.write(without_self_checks(nb), str(workdir / "submission.ipynb"))
        os.link(data, workdir / "data.npz") if same_device(data, workdir) else shutil.copy(data, workdir / "data.npz")
        give_to_sandbox_user(workdir)
        if confinement.alone():  # no namespaces: the run reaches its workdir (its HOME) by its real path
            Path(base).chmod(0o711)
        confined = confinement.Confinement(workdir, read_only=interpreter())
        command = [os.path.normpath(sys.executable), "-I", "-c", LAUNCH, *arguments]  # as the sandbox binds it
        environment = sandbox_environment(confined.home, len(cpus) if cpus else os.cpu_count() or 1)
        outcome = confinement.run(command, confined, settings.limits, environment, cancellation, pass_fds, cpus)
        copy_exports(out, log.parent, caps(settings.limits, exports))
        log.write_text(outcome.output_tail)
        return outcome


def readable_copy(package: Path, into: Path) -> None:
    """The inside package, readable by the run whatever the kit's own files' modes (setup.sh makes
    Gradescope's copy root's alone), and not writable by it."""
    shutil.copytree(package, into, ignore=shutil.ignore_patterns("__pycache__"), copy_function=shutil.copyfile)
    for path in [into, *into.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


@contextmanager
def own_filesystem(base: Path, limits: Limits):
    """A tmpfs of the run's own at `base`, limited in bytes and files, gone when the run is (root only,
    and where mounting is allowed)."""
    if os.geteuid() != 0:
        yield
        return
    options = f"size={limits.workdir_bytes},nr_inodes={limits.workdir_files},mode=700"
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, base.name, str(base)], capture_output=True)
    if mounted.returncode != 0:
        if not confinement.alone():
            raise OSError(f"could not mount the run's tmpfs: {mounted.stderr.decode(errors='replace').strip()}")
        yield  # a container that may not mount: the run's files are held to file_bytes each, by rlimit
        return
    try:
        yield
    finally:
        subprocess.run(["umount", "--lazy", str(base)], check=False)


def caps(limits: Limits, names: tuple[str, ...]) -> dict[str, int]:
    return {name: limits.record_bytes if name.endswith(".json") else limits.arrays_bytes for name in names}


def copy_exports(out: Path, into: Path, caps: dict[str, int]) -> None:
    """Copy the expected files that are there only: regular files within their size caps, no symlink followed
    anywhere (the folder is the student's: `out` itself may have been swapped for a link). What is there but
    refused is noted in REFUSED, with why: a record that was refused is not a record that was never written."""
    refused = {}
    try:
        folder = os.open(out, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return
    try:
        for name, cap in caps.items():
            try:
                handle = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=folder)
            except FileNotFoundError:
                continue
            except OSError:
                refused[name] = "it is not a regular file"
                continue
            with os.fdopen(handle, "rb") as source:
                info = os.fstat(source.fileno())
                if not stat.S_ISREG(info.st_mode):
                    refused[name] = "it is not a regular file"
                elif info.st_size > cap:
                    refused[name] = f"it is larger than the {cap // (1 << 20)} MiB allowed"
                else:
                    (into / name).write_bytes(source.read(cap))
    finally:
        os.close(folder)
    if refused:
        noted = into / REFUSED
        earlier = json.loads(noted.read_text()) if noted.is_file() else {}
        noted.write_text(json.dumps({**earlier, **refused}))


def interpreter() -> tuple[Path, ...]:
    """What a run needs beyond the system's /usr: the venv with the kit's dependencies, every folder on
    the way from its `python` through links to the real interpreter (a venv's python is a link, often
    to another link), the base interpreter's home as the venv names it, and that interpreter's prefix.
    Each is bound where it is named; folders inside another, or in the system's own, are left out."""
    needed = [Path(sys.prefix), Path(os.path.realpath(sys.base_prefix)), *link_folders(Path(sys.executable))]
    config = Path(sys.prefix) / "pyvenv.cfg"
    if config.is_file():
        homes = [line.partition("=")[2].strip() for line in config.read_text().splitlines()
                 if line.partition("=")[0].strip() == "home"]
        needed += [Path(home) for home in homes if home]
    unique = [Path(os.path.normpath(path)) for path in dict.fromkeys(needed)]
    return tuple(path for path in unique if path.parts[1:2] and path.parts[1] not in confinement.SYSTEM_TOPS
                 and not any(other != path and other in path.parents for other in unique))


def link_folders(path: Path, hops: int = 40) -> list[Path]:
    """The folder of `path` and of each link it leads through, as named (not resolved)."""
    folders = []
    for _ in range(hops):
        path = Path(os.path.normpath(path))
        folders.append(path.parent)
        if not path.is_symlink():
            break
        path = path.parent / os.readlink(path)
    return folders


def sandbox_environment(home: Path, threads: int) -> dict[str, str]:
    """A scrubbed environment: nothing of the grader's, compute threads sized for one worker."""
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "TMPDIR": str(home), "LANG": "C.UTF-8",
            "MPLCONFIGDIR": str(home / ".matplotlib"), "KERAS_HOME": str(home / ".keras"),
            "MPLBACKEND": "Agg", "TF_CPP_MIN_LOG_LEVEL": "3", "OMP_NUM_THREADS": str(threads),
            "TF_NUM_INTRAOP_THREADS": str(threads), "TF_NUM_INTEROP_THREADS": "1", "PYTHONHASHSEED": "0"}


def give_to_sandbox_user(workdir: Path) -> None:
    if os.geteuid() != 0:
        return
    for path in (workdir, workdir / "out", workdir / "submission.ipynb"):  # the rest stays the grader's, read-only
        if path.exists():
            os.chown(path, confinement.sandbox_uid(), confinement.sandbox_uid())


def same_device(a: Path, b: Path) -> bool:
    return a.stat().st_dev == b.stat().st_dev
