"""The sandbox on the machines instructors have, not only CI's: a kernel with cgroup v2 alone
(Debian's own, booted under QEMU by virtme-ng over this machine's files), where ordinary users
may make no user namespace (Debian's kernel.unprivileged_userns_clone = 0, refusing them as
Ubuntu 24.04's AppArmor does). The sandbox's tests pass there as root, and as an ordinary user
given a cgroup of its own (delegated, as `systemd-run --user --scope -p Delegate=yes` gives)."""

import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import unprivileged

from autograder.sandbox.runner import interpreter
from autograder.settings import KIT_ROOT

REQUIRED = bool(os.environ.get("REQUIRE_VM"))
KERNELS = sorted(glob.glob("/boot/vmlinuz-*"))
VNG = Path(sys.executable).with_name("vng")
MISSING = [name for name, there in [("virtme-ng", VNG.exists()), ("qemu-system-x86", shutil.which("qemu-system-x86_64")),
                                    ("a kernel in /boot", KERNELS), ("busybox", shutil.which("busybox"))] if not there]
USER = 4242  # the ordinary grader in the machine: a number, as its /etc is this machine's, read-only
PYTEST = [sys.executable, "-m", "pytest", "-q", "-rs", "--noconftest", "-p", "no:cacheprovider", "-p", "no:xdist",
          "-p", "no:hypothesispytest", "tests/full/test_sandbox.py", "-k", "unprivileged or capability or making or "
          "user_namespace or memory or fork_bomb or daemon or cores or preflight"]  # what the kernel and its cgroups decide


def inside() -> str:
    """The script the machine runs as root: the sandbox's tests as root, then as USER."""
    as_user = unprivileged.as_user(["env", "HOME=/tmp/home", "REQUIRE_CGROUPS=1", *PYTEST, "--basetemp", "/tmp/home/tmp"],
                                   [*interpreter(), KIT_ROOT], uid=USER)
    delegated = "/sys/fs/cgroup/delegated"
    return f"""
cd {shlex.quote(str(KIT_ROOT))}
export PATH=/usr/bin:/bin:/usr/sbin:/sbin REQUIRE_SANDBOX=1
sysctl -qw kernel.unprivileged_userns_clone=0
echo "== root: $(cat /sys/fs/cgroup/cgroup.controllers)"
{shlex.join(PYTEST)} --basetemp /tmp/as-root
echo "== root exit $?"
setpriv --reuid={USER} --regid={USER} --clear-groups unshare --user true 2>/dev/null
echo "== an ordinary user may make a user namespace: exit $?"
sysctl -qw kernel.unprivileged_userns_clone=1
echo "+memory +pids +cpuset" > /sys/fs/cgroup/cgroup.subtree_control
mkdir {delegated} /tmp/home
chown {USER}:{USER} /tmp/home {delegated} {delegated}/cgroup.procs {delegated}/cgroup.subtree_control {delegated}/cgroup.threads
echo "== user"
sh -c 'echo $$ > {delegated}/cgroup.procs && exec "$@"' delegate {shlex.join(as_user)} 2>&1
echo "== user exit $?"
"""


pytestmark = [pytest.mark.skipif(os.geteuid() != 0 or (MISSING and not REQUIRED),
                                 reason=f"needs root and {', '.join(MISSING) or 'the machine'} (CI installs them)")]


@pytest.fixture(scope="module")
def other_kernel(tmp_path_factory) -> dict[str, str]:
    """What each part of INSIDE printed, by its `== ` heading."""
    script = tmp_path_factory.mktemp("vm") / "inside.sh"
    script.write_text(inside())
    booted = subprocess.run([str(VNG), "--run", KERNELS[-1], "--disable-kvm", "--user", "root", "--memory", "3G",
                             "--cpus", "2", "--", f"sh {shlex.quote(str(script))}"],
                            capture_output=True, text=True, env={**os.environ, "PATH": f"{VNG.parent}:{os.environ['PATH']}"})
    (script.parent / "said.txt").write_text(booted.stdout + booted.stderr)
    parts = re.split(r"^== (.*)$", booted.stdout, flags=re.M)
    assert len(parts) > 1, booted.stdout[-3000:] + booted.stderr[-3000:]
    return dict(zip(parts[1::2], parts[2::2]))


def passed_all(said: dict[str, str], who: str) -> None:
    heading = next(name for name in said if name.startswith(f"{who}:") or name == who)
    output = said[heading]
    assert said.get(f"{who} exit 0") is not None, output[-4000:]
    summary = output.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ passed(, \d+ skipped)?(, \d+ deselected)? in .*", summary), output[-4000:]
    skipped = [line for line in output.splitlines() if line.startswith("SKIPPED")]
    assert all("needs root" in line for line in skipped) and (who == "user" or not skipped), skipped


def test_on_cgroup_v2_with_user_namespaces_refused_to_users_a_root_grader_sandboxes_and_limits(other_kernel):
    assert "an ordinary user may make a user namespace: exit 1" in other_kernel
    heading = next(name for name in other_kernel if name.startswith("root:"))
    assert {"memory", "pids", "cpuset"} <= set(heading.split()), heading
    passed_all(other_kernel, "root")


def test_on_cgroup_v2_an_ordinary_grader_with_a_delegated_cgroup_sandboxes_and_limits(other_kernel):
    passed_all(other_kernel, "user")
