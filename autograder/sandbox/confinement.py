"""Run one command in isolation, under limits, and say how it ended.

Isolation is an allow-list, built by bubblewrap: the command sees a read-only
/usr, the interpreter and venv it needs (`read_only`), its own workdir as
/home/student, and fresh /proc, /dev and /tmp; nothing else of the machine. It
runs in new user, PID, network, IPC, UTS and cgroup namespaces, may create no
further user namespace, and holds no capability. Its user outside is never root:
a grader running as root stages the allowed paths, makes the user namespace itself
(root_userns.py: where AppArmor or a sysctl refuses ordinary users one, root still
may) and has bubblewrap become nobody in it; any other user's sandbox runs as that
user, in a namespace bubblewrap makes.

Limits: rlimits set inside the sandbox (CPU time, address space, processes and
threads, open files, file size), cgroup v1 memory, pids and cpuset where the
grader is root, and a wall-clock limit enforced with SIGKILL from outside.

Where no namespaces may be made (inside Gradescope's container, which is then the
sandbox), a root grader runs the command as a user of the runs' own (LONE_USER)
under the same rlimits and wall clock, and kills whatever that user left running.
"""

import contextlib
import functools
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..settings import Limits
from .cancellation import Cancellation
from . import cgroups
from .cgroups import Cgroups

NOBODY = 65534
LONE_USER = 65533  # without namespaces: a user no one else is, so every process it has after a run can be killed
LONE_RUNS = threading.Lock()  # and one such run at a time, so that killing them spares a neighbour's
HOME = Path("/home/student")  # where the command sees its workdir
SYSTEM_TOPS = ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32")  # what system_mounts() shows of the machine
STAGE_PREFIX = "autograder-stage-"  # as root: a fresh folder per run where the allowed paths are bound for nobody


def drop_to(uid: int, *options: str) -> list[str]:
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs", "--inh-caps=-all",
            "--bounding-set=-all", *options, "--"]


ROOT_USERNS = Path(__file__).with_name("root_userns.py")
NAMESPACES = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup",
              "--die-with-parent", "--new-session"]
OWN_USERNS = ["--unshare-user", "--disable-userns"]  # an ordinary user's: bubblewrap makes it, then closes the door
ROOTS_USERNS = ["--uid", str(NOBODY), "--gid", str(NOBODY), "--cap-drop", "ALL", "--assert-userns-disabled"]


@dataclass(frozen=True)
class Confinement:
    """What the command may see besides the system's /usr: `read_only` paths (its interpreter,
    its venv) and its `workdir`. A command that is not `isolated` (the grader's own, fed
    untrusted data) gets the limits only."""

    workdir: Path
    read_only: tuple[Path, ...] = ()
    isolated: bool = True
    log: str = "output.log"

    @property
    def home(self) -> Path:
        """The workdir as the command sees it."""
        return HOME if self.isolated and defences()["bubblewrap sandbox"] else self.workdir


@dataclass
class Outcome:
    exit_code: int | None
    seconds: float
    timed_out: bool = False
    out_of_memory: bool = False
    peak_memory_bytes: int | None = None
    output_tail: str = ""
    limits_hit: list[str] = field(default_factory=list)


def defences() -> dict[str, bool]:
    """Which defences this machine offers; the grader says once what is missing."""
    return {"bubblewrap sandbox": bubblewrap_works(),
            **{f"cgroup {name}": usable for name, usable in cgroups.available().items()}}


def alone() -> bool:
    """No namespaces here, but root: runs are confined to LONE_USER and rlimits (a throwaway container)."""
    return os.geteuid() == 0 and not bubblewrap_works()


def sandbox_uid() -> int:
    """The user a run's processes are, seen from outside."""
    return LONE_USER if alone() else NOBODY


def bubblewrap_works() -> bool:
    """bwrap is installed and may build its sandbox here, as the user the runs would have."""
    return shutil.which("bwrap") is not None and bubblewrap_refusal() is None


@functools.cache
def bubblewrap_refusal() -> str | None:
    """What bwrap says when it cannot build the sandbox here (None: it can, or it is not installed)."""
    if shutil.which("bwrap") is None:
        return None
    trial = subprocess.run([*bubblewrap(), *system_mounts(), "true"], capture_output=True)
    return None if trial.returncode == 0 else (trial.stderr.decode(errors="replace").strip() or
                                               f"exit code {trial.returncode}")


def run(command: list[str], confinement: Confinement, limits: Limits, env: dict[str, str],
        cancellation: Cancellation | None = None, pass_fds: tuple[int, ...] = (),
        cpus: tuple[int, ...] | None = None) -> Outcome:
    """Run `command` confined and limited, on `cpus` only (where given), with `pass_fds` open in it;
    never raises for anything the command does, only Interrupted when `cancellation` stopped it."""
    lone = confinement.isolated and alone()
    with LONE_RUNS if lone else contextlib.nullcontext():
        return run_now(command, confinement, limits, env, cancellation or Cancellation(), pass_fds, cpus, lone)


def run_now(command: list[str], confinement: Confinement, limits: Limits, env: dict[str, str],
            cancellation: Cancellation, pass_fds: tuple[int, ...], cpus: tuple[int, ...] | None,
            lone: bool) -> Outcome:
    available = defences()
    groups = Cgroups.create(limits, available["cgroup memory"], available["cgroup pids"],
                            cpus if available["cgroup cpuset"] else None)
    started = time.monotonic()
    stage = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX))
    argv, options = launch(command, confinement, limits, groups, available["bubblewrap sandbox"], stage)
    try:
        with open(confinement.workdir / confinement.log, "w+b") as sink:  # read back through this fd, not the name
            process = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT, env=env,
                cwd=confinement.workdir, start_new_session=True, pass_fds=(*pass_fds, *options))
            with cancellation.watching(process):
                timed_out = wait_or_kill(process, 0 if cancellation.requested else limits.wall_seconds, groups)
                if lone:
                    kill_everything_of(LONE_USER)  # daemons that left the process group
            outcome = Outcome(exit_code=process.returncode, seconds=round(time.monotonic() - started, 2),
                              timed_out=timed_out, output_tail=tail(sink, limits.output_bytes))
    finally:
        for descriptor in options:
            os.close(descriptor)
        stage.rmdir()  # mounted on only in the run's own mount namespace, gone with it
        usage = groups.finish()
    cancellation.raise_if_requested()
    outcome.peak_memory_bytes, outcome.out_of_memory = usage.peak_memory_bytes, usage.out_of_memory
    note_limits(outcome, limits, process.returncode)
    return outcome


def launch(command: list[str], confinement: Confinement, limits: Limits, groups: Cgroups,
           sandbox: bool, stage: Path) -> tuple[list[str], tuple[int, ...]]:
    """Join the cgroups, then start `command` under rlimits: in the sandbox (where there can be none, as
    root: as LONE_USER), or (not isolated) killed with the grader. Done by sh, prlimit, setpriv and bwrap
    after exec, not in a preexec_fn, which is unsafe in a threaded grader. Returns the command line and
    the descriptors it needs."""
    joins = "".join(f"echo $$ > {shlex.quote(str(path / 'cgroup.procs'))}; " for path in groups.paths)
    if confinement.isolated and sandbox:
        prefix, options = sandboxed(confinement, limits, stage)
        hidden = os.memfd_create("bubblewrap-options")  # so the sandbox's PID 1 shows `bwrap --args N`, no paths
        os.write(hidden, b"".join(os.fsencode(option) + b"\0" for option in options))
        os.lseek(hidden, 0, os.SEEK_SET)
        started = [*prefix, *bubblewrap(), "--args", str(hidden), "--", *rlimits(limits, processes=True), *command]
        descriptors: tuple[int, ...] = (hidden,)
    elif confinement.isolated and os.geteuid() == 0:  # no namespaces (a container): a user of its own, the rlimits
        started = [*rlimits(limits, processes=True), *drop_to(LONE_USER, "--pdeathsig", "KILL"), *command]
        descriptors = ()
    else:
        started = [*rlimits(limits, processes=False), "setpriv", "--pdeathsig", "KILL", "--", *command]
        descriptors = ()
    return ["sh", "-c", joins + 'exec "$@"', "sandbox", *started], descriptors


def rlimits(limits: Limits, processes: bool) -> list[str]:
    """Inside the sandbox's own user namespace, a process limit counts that sandbox's processes only."""
    return ["prlimit", f"--cpu={limits.cpu_seconds}:{limits.cpu_seconds + 5}", f"--as={limits.address_space_bytes}",
            f"--nofile={limits.open_files}", f"--fsize={limits.file_bytes}", "--core=0",
            *([f"--nproc={limits.processes}"] if processes else []), "--"]


def sandboxed(confinement: Confinement, limits: Limits, stage: Path) -> tuple[list[str], list[str]]:
    """What starts bubblewrap, and its options: the allow-list and nothing else. The workdir and the
    scratch tmpfs come first and the read-only paths last, so that a venv under /tmp or /home is bound
    over them, not hidden by them. As root, the allowed paths are first bound under `stage` (a fresh
    folder, so no allowed path lies beneath it) in a private mount namespace."""
    own = [("--bind", confinement.workdir, HOME)] + [("--ro-bind", path, path) for path in confinement.read_only]
    if os.geteuid() == 0:
        binds = [f"mkdir {stage}/{index} && mount --bind {shlex.quote(str(source))} {stage}/{index}"
                 for index, (_, source, _) in enumerate(own)]
        staging = ["set -e", f"mount -t tmpfs -o mode=755,size=1m stage {stage}", *binds, 'exec "$@"']
        prefix = ["unshare", "--mount", "--", "sh", "-c", "\n".join(staging), "stage"]
        own = [(kind, stage / str(index), target) for index, (kind, _, target) in enumerate(own)]
    else:
        prefix = []
    workdir, *read_only = [[str(part) for part in mount] for mount in own]
    scratch = [part for path in ("/tmp", "/dev/shm") for part in ("--size", str(limits.workdir_bytes), "--tmpfs", path)]
    return prefix, ["--hostname", "sandbox", *system_mounts(), *workdir, *scratch,
                    *(part for mount in read_only for part in mount),
                    "--remount-ro", "/dev", "--remount-ro", "/", "--chdir", str(HOME)]


def bubblewrap() -> list[str]:
    """bwrap and its namespaces: as root, in a user namespace root made (see root_userns.py)."""
    if os.geteuid() == 0:
        return [sys.executable, "-I", str(ROOT_USERNS), "bwrap", *NAMESPACES, *ROOTS_USERNS]
    return ["bwrap", *NAMESPACES, *OWN_USERNS]


@functools.cache
def system_mounts() -> tuple[str, ...]:
    """/usr read-only, with the top-level links (or folders) into it that programs expect, the
    loader's cache, and fresh /proc and /dev."""
    mounts = ["--ro-bind", "/usr", "/usr"]
    for name in SYSTEM_TOPS[1:]:
        path = Path("/", name)
        if path.is_symlink():
            mounts += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            mounts += ["--ro-bind", str(path), str(path)]
    return (*mounts, "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache", "--proc", "/proc", "--dev", "/dev")


def note_limits(outcome: Outcome, limits: Limits, returncode: int | None) -> None:
    if outcome.timed_out:
        outcome.limits_hit.append(f"wall clock ({limits.wall_seconds} s)")
    if outcome.out_of_memory:
        outcome.limits_hit.append(f"memory ({limits.memory_bytes // (1 << 20)} MiB)")
    if returncode in (-signal.SIGXCPU, 128 + signal.SIGXCPU):
        outcome.limits_hit.append(f"CPU time ({limits.cpu_seconds} s)")


def wait_or_kill(process: subprocess.Popen, seconds: int, groups: Cgroups) -> bool:
    """Wait up to `seconds`; then SIGKILL the process group and everything in its cgroup."""
    try:
        process.wait(timeout=seconds)
        timed_out = False
    except subprocess.TimeoutExpired:
        timed_out = True
    for pid in [process.pid] + groups.members():
        try:
            os.killpg(pid, signal.SIGKILL) if pid == process.pid else os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    process.wait()
    return timed_out


def kill_everything_of(uid: int) -> None:
    """SIGKILL every process of `uid`, sent by a process of that user (kill(-1) spares only its sender)."""
    for _ in range(2):  # a second round for any forked while the first went through the list
        kill = "import os\ntry: os.kill(-1, 9)\nexcept OSError: pass"
        subprocess.run([*drop_to(uid), sys.executable, "-I", "-c", kill], stdin=subprocess.DEVNULL, capture_output=True)


def tail(sink, limit: int) -> str:
    """The last `limit` bytes the command wrote, read through the grader's own descriptor."""
    size = os.fstat(sink.fileno()).st_size
    sink.seek(max(0, size - limit))
    return sink.read(limit).decode("utf-8", errors="replace")


def run_limited(command: list[str], workdir: Path, log: str, limits: Limits, memory_bytes: int, seconds: int,
                env: dict[str, str]) -> Outcome:
    """The grader's own command over a run's untrusted exports: not isolated, but held to
    `memory_bytes` and `seconds`, so a crafted export costs that run alone."""
    cpu = seconds * (os.cpu_count() or 1)  # its own clock, never the students' CPU time, which may be far tighter
    own = limits.model_copy(update={"memory_bytes": memory_bytes, "wall_seconds": seconds, "cpu_seconds": cpu})
    return run(command, Confinement(workdir, isolated=False, log=log), own, env)
