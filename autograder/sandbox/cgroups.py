"""Fresh cgroups for one run: its memory and process limits, the cores it may use, its members,
its peak memory and whether it ran out of memory; on cgroup v1 (a group per controller) and on
cgroup v2 (one group with every controller, under a parent the grader may hand them to).

On cgroup v2 the parent is, as root, /sys/fs/cgroup/autograder; as any other user, the grader's
own cgroup where it is the only process there and the cgroup is its to manage (what
`systemd-run --user --scope -p Delegate=yes` gives): the grader then moves into a leaf of its own,
`grader`, so that its cgroup may hand its controllers down to the runs' groups beside it.
"""

import functools
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..settings import Limits

CGROUP_ROOT = Path("/sys/fs/cgroup")
CONTROLLERS = ("memory", "pids", "cpuset")
V2_PARENT = CGROUP_ROOT / "autograder"  # as root, on cgroup v2


@dataclass
class Usage:
    peak_memory_bytes: int | None = None
    out_of_memory: bool = False


def version() -> str:
    """"v1" where the controllers are mounted one by one (hybrid machines included), "v2" where only
    the unified hierarchy is, else "none"."""
    if (CGROUP_ROOT / "memory").is_dir():
        return "v1"
    return "v2" if (CGROUP_ROOT / "cgroup.controllers").is_file() else "none"


def available() -> dict[str, bool]:
    """Which controllers this grader may limit its runs with."""
    if version() == "v1":
        return {name: os.geteuid() == 0 and writable(CGROUP_ROOT / name) for name in CONTROLLERS}
    parent = v2_parent() if version() == "v2" else None
    handed = (parent / "cgroup.subtree_control").read_text().split() if parent else []
    return {name: name in handed for name in CONTROLLERS}


def writable(folder: Path) -> bool:
    """A folder this grader may create in (a container may show the cgroups read-only)."""
    return folder.is_dir() and os.access(folder, os.W_OK)


@functools.cache
def v2_parent() -> Path | None:
    """The cgroup v2 folder the runs' groups go in, its controllers handed down to them; None where this
    grader may make none."""
    try:
        return root_parent() if os.geteuid() == 0 else delegated_parent()
    except OSError:
        return None


def root_parent() -> Path:
    hand_down(CGROUP_ROOT)
    V2_PARENT.mkdir(exist_ok=True)
    hand_down(V2_PARENT)
    return V2_PARENT


def delegated_parent() -> Path | None:
    lines = [line for line in Path("/proc/self/cgroup").read_text().splitlines() if line.startswith("0::")]
    own = CGROUP_ROOT / lines[0][3:].lstrip("/") if lines else None
    if own is None or not all(os.access(own / name, os.W_OK) for name in ("cgroup.procs", "cgroup.subtree_control")):
        return None
    members = [int(pid) for pid in (own / "cgroup.procs").read_text().split()]
    members = [pid for pid in members if Path(f"/proc/{pid}").exists()]  # one that has ended is no one's
    if not all(descends_from_us(pid) for pid in members):
        return None  # others share it: moving them is not the grader's to do
    leaf = own / "grader"
    leaf.mkdir(exist_ok=True)
    for pid in [os.getpid(), *members]:  # the grader, and any process of its own still there (a run ending)
        try:
            (leaf / "cgroup.procs").write_text(str(pid))
        except ProcessLookupError:
            pass  # it has ended meanwhile
    hand_down(own)
    return own


def descends_from_us(pid: int) -> bool:
    """`pid` is this process or one it started, however far down."""
    while pid > 1:
        if pid == os.getpid():
            return True
        try:
            pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            return False
    return False


def hand_down(folder: Path) -> None:
    """Enable for `folder`'s children each of the runs' controllers it has."""
    offered = (folder / "cgroup.controllers").read_text().split()
    for name in CONTROLLERS:
        if name in offered:
            try:
                (folder / "cgroup.subtree_control").write_text(f"+{name}")
            except OSError:  # a cgroup with processes of its own may not (but the root)
                pass


@dataclass
class Cgroups:
    paths: list[Path]

    @classmethod
    def create(cls, limits: Limits, memory: bool, pids: bool, cpus: tuple[int, ...] | None = None) -> "Cgroups":
        name = f"autograder-{os.getpid()}-{uuid.uuid4().hex[:12]}"  # leftovers.py reads the pid back
        if not (memory or pids or cpus):
            return cls([])
        if version() == "v2":
            return cls([v2_group(v2_parent() / name, limits, memory, pids, cpus)])
        return cls(v1_groups(name, limits, memory, pids, cpus))

    def members(self) -> list[int]:
        return sorted({int(pid) for path in self.paths for pid in (path / "cgroup.procs").read_text().split()})

    def finish(self) -> Usage:
        """Read peak memory and OOM kills, then remove the (now empty) cgroups."""
        usage = Usage()
        for path in self.paths:
            try:
                read_usage(path, usage)
            except (OSError, ValueError):
                pass
            for _ in range(50):
                try:
                    path.rmdir()
                    break
                except OSError:
                    time.sleep(0.1)
        return usage


def v1_groups(name: str, limits: Limits, memory: bool, pids: bool, cpus: tuple[int, ...] | None) -> list[Path]:
    paths = []
    if cpus:  # the run's own cores: however many threads it starts, its neighbours keep theirs
        group = CGROUP_ROOT / "cpuset" / name
        group.mkdir()
        (group / "cpuset.mems").write_text((CGROUP_ROOT / "cpuset" / "cpuset.mems").read_text())
        (group / "cpuset.cpus").write_text(",".join(map(str, cpus)))
        paths.append(group)
    if memory:
        group = CGROUP_ROOT / "memory" / name
        group.mkdir()
        (group / "memory.limit_in_bytes").write_text(str(limits.memory_bytes))
        swap = group / "memory.memsw.limit_in_bytes"
        if swap.exists():
            swap.write_text(str(limits.memory_bytes))
        paths.append(group)
    if pids:
        group = CGROUP_ROOT / "pids" / name
        group.mkdir()
        (group / "pids.max").write_text(str(limits.processes))
        paths.append(group)
    return paths


def v2_group(group: Path, limits: Limits, memory: bool, pids: bool, cpus: tuple[int, ...] | None) -> Path:
    group.mkdir()
    if cpus:
        (group / "cpuset.cpus").write_text(",".join(map(str, cpus)))
    if memory:
        (group / "memory.max").write_text(str(limits.memory_bytes))
        for setting, value in (("memory.swap.max", "0"), ("memory.oom.group", "1")):  # no swap; an OOM kills all
            if (group / setting).exists():
                (group / setting).write_text(value)
    if pids:
        (group / "pids.max").write_text(str(limits.processes))
    return group


def read_usage(path: Path, usage: Usage) -> None:
    if path.parent.name == "memory":  # v1
        usage.peak_memory_bytes = int((path / "memory.max_usage_in_bytes").read_text())
        counters = dict(line.split() for line in (path / "memory.oom_control").read_text().splitlines())
        usage.out_of_memory = int(counters.get("oom_kill", 0)) > 0
    elif (path / "memory.events").exists():  # v2 (memory.peak since Linux 5.19)
        if (path / "memory.peak").exists():
            usage.peak_memory_bytes = int((path / "memory.peak").read_text())
        counters = dict(line.split() for line in (path / "memory.events").read_text().splitlines())
        usage.out_of_memory = int(counters.get("oom_kill", 0)) + int(counters.get("oom_group_kill", 0)) > 0
