"""What this machine offers the sandbox, read from the kernel's own files: bubblewrap and whether it
may build a sandbox here, user namespaces and Ubuntu's AppArmor restriction of them, the cgroup
version and the controllers this grader may use, root or not, cores and memory. `doctor` prints it;
`grade` prints its one-line summary; a refusal names the remedy that fits.
"""

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from . import confinement
from .cgroups import CGROUP_ROOT

PROC_SYS = Path("/proc/sys")
CONTROLLERS = ("memory", "pids", "cpuset")
BWRAP_PROFILE = """abi <abi/4.0>,
include <tunables/global>
profile bwrap /usr/bin/bwrap flags=(unconfined) {
  userns,
  include if exists <local/bwrap>
}"""


@dataclass
class Host:
    root: bool
    cores: int
    memory_bytes: int
    bubblewrap: str | None  # its path, if installed
    bubblewrap_refusal: str | None  # what bubblewrap said when it could not build the sandbox; None: it can
    userns_off: str | None  # the setting that turns unprivileged user namespaces off, if one does
    apparmor_restricts_userns: bool  # Ubuntu 23.10+: kernel.apparmor_restrict_unprivileged_userns = 1
    cgroup: str  # "v1", "v2", "hybrid" or "none"
    usable: dict[str, bool] = field(default_factory=dict)  # per controller: this grader may limit runs with it

    @property
    def sandbox(self) -> bool:
        return self.bubblewrap is not None and self.bubblewrap_refusal is None


def sysctl(name: str) -> str | None:
    """A kernel setting's value, None where this kernel has no such setting."""
    try:
        return (PROC_SYS / name.replace(".", "/")).read_text().strip()
    except OSError:
        return None


def cgroup_version() -> str:
    v1 = (CGROUP_ROOT / "memory").is_dir()
    v2 = (CGROUP_ROOT / "cgroup.controllers").is_file() or (CGROUP_ROOT / "unified" / "cgroup.controllers").is_file()
    return "hybrid" if v1 and v2 else "v1" if v1 else "v2" if v2 else "none"


def userns_off() -> str | None:
    if sysctl("kernel.unprivileged_userns_clone") == "0":
        return "kernel.unprivileged_userns_clone = 0"
    if sysctl("user.max_user_namespaces") == "0":
        return "user.max_user_namespaces = 0"
    return None


def this_host() -> Host:
    available = confinement.defences()
    return Host(root=os.geteuid() == 0, cores=len(os.sched_getaffinity(0)),
                memory_bytes=os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"),
                bubblewrap=shutil.which("bwrap"), bubblewrap_refusal=confinement.bubblewrap_refusal(),
                userns_off=userns_off(), apparmor_restricts_userns=sysctl(
                    "kernel.apparmor_restrict_unprivileged_userns") == "1",
                cgroup=cgroup_version(), usable={name: available[f"cgroup {name}"] for name in CONTROLLERS})


def summary(host: Host) -> str:
    """One line: what holds here."""
    sandbox = "bubblewrap sandbox" if host.sandbox else "NO sandbox"
    limits = [name for name, usable in host.usable.items() if usable]
    cgroups = f"cgroup {host.cgroup}: " + (", ".join(limits) + " limits" if limits else "no limits of its own")
    return (f"{sandbox}; {cgroups}; {'root' if host.root else 'not root'}; {host.cores} cores, "
            f"{host.memory_bytes / 2**30:.0f} GiB")


def sandbox_remedy(host: Host) -> str:
    """The one thing to do so that bubblewrap can build the sandbox here, with its trade-off."""
    if host.bubblewrap is None:
        return ("Install bubblewrap: `sudo apt install bubblewrap` (Debian, Ubuntu), `sudo dnf install bubblewrap` "
                "(Fedora).")
    if host.apparmor_restricts_userns or "uid map" in (host.bubblewrap_refusal or ""):
        return ("Ubuntu's AppArmor stops bubblewrap from making the user namespace it needs "
                "(kernel.apparmor_restrict_unprivileged_userns = 1). Either give bwrap the AppArmor profile "
                "Ubuntu 25.04 ships, once, as root: write\n" + BWRAP_PROFILE + "\n    to /etc/apparmor.d/bwrap and "
                "run `sudo apparmor_parser -r /etc/apparmor.d/bwrap` (bwrap alone may then make user namespaces, "
                "which is its job); or `sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0` (every program "
                "may then, as before Ubuntu 23.10: a wider door, for the whole machine).")
    if host.userns_off:
        setting = host.userns_off.split(" = ")[0]
        value = "1" if setting == "kernel.unprivileged_userns_clone" else "15000"
        return f"User namespaces are off here ({host.userns_off}): `sudo sysctl {setting}={value}`."
    return f"bubblewrap could not build the sandbox here; it said: {host.bubblewrap_refusal}"


def cgroup_remedy(host: Host) -> str | None:
    """What would give the runs memory, process and core limits of their own, when they have none."""
    if all(host.usable.values()):
        return None
    if host.cgroup == "none":
        return "This machine shows no cgroups: each run's memory is limited per process, and runs share the cores."
    if host.root:
        return ("This grader may not hand cgroup controllers down (a container that keeps them, say): each run's "
                "memory is limited per process, and runs share the cores. Grade on the machine itself.")
    if host.cgroup == "v2":
        return ("Give the grader a cgroup of its own to manage: `systemd-run --user --scope -p Delegate=yes python "
                "-m autograder grade ...` (or grade as root); each run then gets its own memory, process and core "
                "limits.")
    return "Grade as root: the kit then gives each run cgroups of its own (memory, processes, cores)."
