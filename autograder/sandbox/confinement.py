"""Run one command in isolation, under limits, and say how it ended.

The strongest defences this machine allows, each applied where it is available:
cgroup v1 memory and pids limits (real memory, not address space), rlimits,
new network/PID/mount/IPC/UTS namespaces, a tmpfs over every directory the
command must not read (with only the interpreter and its own workdir bound back),
an unprivileged user, and a wall-clock limit enforced with SIGKILL from outside.
"""

import os
import shlex
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..settings import Limits
from .cancellation import Cancellation
from .cgroups import CGROUP_ROOT, Cgroups

NOBODY = 65534
STAGE = "/mnt"


@dataclass(frozen=True)
class Confinement:
    """What the command may see: `expose` survives inside the `hide`n directories. A command that
    is not `isolated` (the grader's own, fed untrusted data) gets the limits only."""

    workdir: Path
    hide: tuple[Path, ...] = ()
    expose: tuple[Path, ...] = ()
    isolated: bool = True
    log: str = "output.log"


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
    root = os.geteuid() == 0
    return {
        "namespaces": root and shutil.which("unshare") is not None,
        "unprivileged user": root and shutil.which("setpriv") is not None,
        "cgroup memory": root and (CGROUP_ROOT / "memory").is_dir(),
        "cgroup pids": root and (CGROUP_ROOT / "pids").is_dir(),
        "cgroup cpuset": root and (CGROUP_ROOT / "cpuset").is_dir(),
    }


def run(command: list[str], confinement: Confinement, limits: Limits, env: dict[str, str],
        cancellation: Cancellation | None = None, pass_fds: tuple[int, ...] = (),
        cpus: tuple[int, ...] | None = None) -> Outcome:
    """Run `command` confined and limited, on `cpus` only (where given), with `pass_fds` open in it;
    never raises for anything the command does, only Interrupted when `cancellation` stopped it."""
    cancellation = cancellation or Cancellation()
    available = defences()
    groups = Cgroups.create(limits, available["cgroup memory"], available["cgroup pids"],
                            cpus if available["cgroup cpuset"] else None)
    started = time.monotonic()
    try:
        with open(confinement.workdir / confinement.log, "w+b") as sink:  # read back through this fd, not the name
            process = subprocess.Popen(
                guarded(wrap(command, confinement, available), limits, groups), stdin=subprocess.DEVNULL,
                stdout=sink, stderr=subprocess.STDOUT, env=env, cwd=confinement.workdir, start_new_session=True,
                pass_fds=pass_fds)
            with cancellation.watching(process):
                timed_out = wait_or_kill(process, 0 if cancellation.requested else limits.wall_seconds, groups)
            outcome = Outcome(exit_code=process.returncode, seconds=round(time.monotonic() - started, 2),
                              timed_out=timed_out, output_tail=tail(sink, limits.output_bytes))
    finally:
        usage = groups.finish()
    cancellation.raise_if_requested()
    outcome.peak_memory_bytes, outcome.out_of_memory = usage.peak_memory_bytes, usage.out_of_memory
    note_limits(outcome, limits, process.returncode)
    return outcome


def guarded(command: list[str], limits: Limits, groups: Cgroups) -> list[str]:
    """Join the cgroups, set the rlimits and ask for SIGKILL if the grader dies, then exec `command`.

    Done by sh, prlimit and setpriv after exec, not in a preexec_fn, which is unsafe in a threaded grader.
    """
    joins = "".join(f"echo $$ > {shlex.quote(str(path / 'cgroup.procs'))}; " for path in groups.paths)
    rlimits = ["prlimit", f"--cpu={limits.cpu_seconds}:{limits.cpu_seconds + 5}", f"--as={limits.address_space_bytes}",
               f"--nofile={limits.open_files}", f"--fsize={limits.file_bytes}", "--core=0", "--"]
    pdeath = ["setpriv", "--pdeathsig", "KILL", "--"] if shutil.which("setpriv") else []
    return ["sh", "-c", joins + 'exec "$@"', "sandbox", *(rlimits if shutil.which("prlimit") else []), *pdeath, *command]


def note_limits(outcome: Outcome, limits: Limits, returncode: int | None) -> None:
    if outcome.timed_out:
        outcome.limits_hit.append(f"wall clock ({limits.wall_seconds} s)")
    if outcome.out_of_memory:
        outcome.limits_hit.append(f"memory ({limits.memory_bytes // (1 << 20)} MiB)")
    if returncode in (-signal.SIGXCPU, 128 + signal.SIGXCPU):
        outcome.limits_hit.append(f"CPU time ({limits.cpu_seconds} s)")


def wrap(command: list[str], confinement: Confinement, available: dict[str, bool]) -> list[str]:
    """The command inside namespaces, behind tmpfs mounts, as nobody (where each is available)."""
    if not (available["namespaces"] and confinement.isolated):
        return command
    stage = STAGE  # a namespace-private tmpfs, outside everything hidden
    lines = ["set -e", "ip link set lo up 2>/dev/null || true", f"mount -t tmpfs -o mode=700,size=1m tmpfs {stage}"]
    for index, path in enumerate(confinement.expose):
        lines += [f"mkdir -p {stage}/{index}", f"mount --bind {shlex.quote(str(path))} {stage}/{index}"]
    lines += [f"mount -t tmpfs -o mode=755,size=1m tmpfs {shlex.quote(str(path))}" for path in outermost(confinement.hide)]
    for index, path in enumerate(confinement.expose):
        quoted = shlex.quote(str(path))
        lines += [f"mkdir -p {quoted}", f"mount --bind {stage}/{index} {quoted}"]
    drop = (["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--no-new-privs",
             "--inh-caps=-all", "--bounding-set=-all", "--"] if available["unprivileged user"] else [])
    lines.append("exec " + shlex.join(drop + command))
    return ["unshare", "--net", "--pid", "--mount", "--ipc", "--uts", "--fork", "--kill-child", "--mount-proc",
            "--", "sh", "-c", "\n".join(lines)]


def outermost(paths: tuple[Path, ...]) -> list[Path]:
    """Each path once, and none inside another: covering the outer one hides both."""
    unique = list(dict.fromkeys(paths))
    return [path for path in unique if not any(path != other and path.is_relative_to(other) for other in unique)]


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


def tail(sink, limit: int) -> str:
    """The last `limit` bytes the command wrote, read through the grader's own descriptor."""
    size = os.fstat(sink.fileno()).st_size
    sink.seek(max(0, size - limit))
    return sink.read(limit).decode("utf-8", errors="replace")


def run_limited(command: list[str], workdir: Path, log: str, limits: Limits, memory_bytes: int, seconds: int,
                env: dict[str, str]) -> Outcome:
    """The grader's own command over a run's untrusted exports: not isolated, but held to
    `memory_bytes` and `seconds`, so a crafted export costs that run alone."""
    own = limits.model_copy(update={"memory_bytes": memory_bytes, "wall_seconds": seconds})
    return run(command, Confinement(workdir, isolated=False, log=log), own, env)
