"""What a grader killed outright (SIGKILL, a power cut) leaves behind, cleared on the next start:
its runs' tmpfs mounts, temp folders and cgroups. Each carries its grader's pid in its name
(`autograder-<kind>-<pid>-...`), so the work of a grader still running is never touched."""

import os
import re
import shutil
import tempfile
from pathlib import Path

from .cgroups import CGROUP_ROOT, V2_PARENT

NAME = re.compile(r"^autograder-(?:[a-z]+-)?(\d+)-")


def owned_name(kind: str) -> str:
    """The start of a leftover-prone name for this grader: `autograder-run-<pid>-`."""
    return f"autograder-{kind}-{os.getpid()}-"


def owner_gone(name: str) -> bool:
    match = NAME.match(name)
    if not match or int(match.group(1)) == os.getpid():
        return False
    try:
        os.kill(int(match.group(1)), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def clear_leftovers() -> list[str]:
    """Unmount, remove and delete what dead graders left; return what was cleared."""
    cleared = []
    temp = Path(tempfile.gettempdir())
    mounts = [line.split()[1] for line in Path("/proc/mounts").read_text().splitlines() if line.startswith("autograder-")]
    for point in sorted(mounts, reverse=True):
        if Path(point).parent == temp and owner_gone(Path(point).name):
            os.system(f"umount --lazy '{point}' 2>/dev/null")  # noqa: S605 - a path of ours, quoted
            cleared.append(point)
    for folder in temp.glob("autograder-*"):
        if owner_gone(folder.name) and folder.is_dir() and not os.path.ismount(folder):
            shutil.rmtree(folder, ignore_errors=True)
            cleared.append(str(folder))
    for group in [*CGROUP_ROOT.glob("*/autograder-*"), *V2_PARENT.glob("autograder-*")]:
        if owner_gone(group.name):
            try:
                group.rmdir()
                cleared.append(str(group))
            except OSError:
                pass
    return cleared
