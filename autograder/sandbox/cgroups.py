"""Fresh cgroups (v1) for one run: its memory and process limits, the cores it may use,
its members, its peak memory."""

import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..settings import Limits

CGROUP_ROOT = Path("/sys/fs/cgroup")


@dataclass
class Usage:
    peak_memory_bytes: int | None = None
    out_of_memory: bool = False


@dataclass
class Cgroups:
    paths: list[Path]

    @classmethod
    def create(cls, limits: Limits, memory: bool, pids: bool, cpus: tuple[int, ...] | None = None) -> "Cgroups":
        name = f"autograder-{os.getpid()}-{uuid.uuid4().hex[:12]}"  # leftovers.py reads the pid back
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
        return cls(paths)

    def members(self) -> list[int]:
        return sorted({int(pid) for path in self.paths for pid in (path / "cgroup.procs").read_text().split()})

    def finish(self) -> Usage:
        """Read peak memory and OOM kills, then remove the (now empty) cgroups."""
        usage = Usage()
        for path in self.paths:
            if path.parent.name == "memory":
                try:
                    usage.peak_memory_bytes = int((path / "memory.max_usage_in_bytes").read_text())
                    counters = dict(line.split() for line in (path / "memory.oom_control").read_text().splitlines())
                    usage.out_of_memory = int(counters.get("oom_kill", 0)) > 0
                except (OSError, ValueError):
                    pass
            for _ in range(50):
                try:
                    path.rmdir()
                    break
                except OSError:
                    time.sleep(0.1)
        return usage
