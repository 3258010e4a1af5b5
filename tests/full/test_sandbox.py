"""The sandbox confines and limits any command, and says how it ended."""

import fcntl
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from markers import needs_cgroups, needs_sandbox

from autograder.sandbox import confinement as sandbox
from autograder.sandbox import preflight
from autograder.sandbox.confinement import Confinement
from autograder.sandbox.runner import interpreter
from autograder.settings import Limits

pytestmark = needs_sandbox
NS_GET_OWNER_UID = 0xB704  # ioctl_ns(2)


def own_workdir(tmp_path: Path) -> Path:
    workdir = tmp_path / "work"
    workdir.mkdir()
    if os.geteuid() == 0:
        os.chown(workdir, sandbox.NOBODY, sandbox.NOBODY)
    return workdir


@pytest.fixture
def confine(tmp_path):
    """Run Python code as the sandbox runs a submission: the interpreter and its workdir only."""
    confinement = Confinement(own_workdir(tmp_path), read_only=interpreter())

    def run(code: str, **limits):
        return sandbox.run([sys.executable, "-I", "-c", code], confinement, Limits(**limits), {"PATH": "/usr/bin:/bin"})

    return run


def test_command_runs_as_an_unprivileged_user_never_root(confine, tmp_path):
    confine("open('mine', 'w').write('x')")
    assert (tmp_path / "work" / "mine").stat().st_uid == (sandbox.NOBODY if os.geteuid() == 0 else os.geteuid())


def test_only_the_allow_list_is_there_and_the_interpreter_works(confine):
    course = Path(__file__).resolve().parents[2]
    code = (f"import os, numpy\nprint(sorted(os.listdir('/')))\nprint(os.path.exists({str(course / 'solutions')!r}), "
            f"os.path.exists({str(Path.home() / '.keras')!r}), sorted(os.listdir('/tmp')))")
    outcome = confine(code)
    assert outcome.exit_code == 0, outcome.output_tail
    top, hidden = outcome.output_tail.strip().splitlines()
    assert set(eval(top)) <= {"usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc", "proc", "dev", "tmp",
                              "home", *(Path(path).parts[1] for path in interpreter())}
    assert hidden == "False False []"


def test_the_system_is_read_only_and_the_workdir_writable(confine):
    code = ("import os\nopen('mine', 'w').write('x')\nfor path in ('/usr/evil', '/etc/evil', '/evil', '/dev/evil', '/home/evil', '/proc/sys/vm/drop_caches'):\n"
            "    try:\n        open(path, 'w').write('1'); print('wrote', path)\n    except OSError:\n        pass\n"
            "print(os.getcwd())")
    outcome = confine(code)
    assert outcome.output_tail.strip() == "/home/student"


def test_scratch_space_is_limited(confine):
    code = ("for folder in ('/tmp', '/dev/shm'):\n    try:\n        open(folder + '/big', 'wb').write(bytes(16 << 20))\n"
            "    except OSError as error:\n        print(folder, error.strerror)")
    assert confine(code, workdir_bytes=8 << 20).output_tail.split("\n")[:2] == [
        "/tmp No space left on device", "/dev/shm No space left on device"]


def test_no_user_namespace_can_be_created_inside(confine):
    outcome = confine("import subprocess; print(subprocess.run(['unshare', '--user', 'true']).returncode)")
    assert outcome.output_tail.strip().splitlines()[-1] == "1"


def test_the_run_holds_no_capability_and_no_group_of_the_graders(confine):
    code = ("fields = dict(line.split(':', 1) for line in open('/proc/self/status'))\n"
            "print([name for name in ('CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb') if int(fields[name], 16)], "
            "fields['Groups'].split(), fields['NoNewPrivs'].strip())")
    said = confine(code).output_tail.strip()
    assert said.startswith("[] [") and said.endswith("] 1"), said
    if os.geteuid() == 0:  # root's groups (shown as 65534 where unmapped) must not follow the run
        assert said == "[] [] 1"


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root: without root the runs are in the namespace bubblewrap makes")
def test_as_root_the_runs_user_namespace_is_of_roots_making(tmp_path):
    """Where AppArmor or a sysctl refuses ordinary users a user namespace, root may still make one:
    the run is nobody in a namespace root made, not in one nobody made."""
    release, hold = os.pipe()
    confinement = Confinement(own_workdir(tmp_path), read_only=interpreter())
    marker = f"held-{tmp_path.name}"
    code = f"import os  # {marker}\nos.read({release}, 1)"
    with ThreadPoolExecutor(1) as pool:
        outcome = pool.submit(sandbox.run, [sys.executable, "-I", "-c", code], confinement, Limits(),
                              {"PATH": "/usr/bin:/bin"}, pass_fds=(release,))
        try:
            owners = namespace_owners(marker)
        finally:
            os.write(hold, b"x")
        assert outcome.result().exit_code == 0, outcome.result().output_tail
    assert owners == [0]


def namespace_owners(marker: str) -> list[int]:
    """The owners of the user namespaces of the processes whose command line holds `marker`, seen from
    here (waiting up to a minute for one to start)."""
    for _ in range(600):
        pids = [path.parent.name for path in Path("/proc").glob("[0-9]*/cmdline")
                if marker.encode() in read_or_nothing(path) and path.parent.name != str(os.getpid())]
        running = [pid for pid in pids if Path(f"/proc/{pid}/status").exists() and
                   "Uid:\t65534" in Path(f"/proc/{pid}/status").read_text()]
        if running:
            owners = []
            for pid in running:
                with open(f"/proc/{pid}/ns/user", "rb") as namespace:
                    owner = bytearray(4)
                    fcntl.ioctl(namespace, NS_GET_OWNER_UID, owner)
                    owners.append(int.from_bytes(owner, sys.byteorder))
            return sorted(set(owners))
        time.sleep(0.1)
    return []


def read_or_nothing(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def test_no_other_process_is_visible(confine):
    assert confine("import os; print(sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))").output_tail.strip() \
        in ("[1, 2]", "[1, 2, 3]")


def test_wall_clock_limit_kills_an_endless_loop(confine):
    outcome = confine("while True: pass", wall_seconds=2)
    assert outcome.timed_out and outcome.limits_hit == ["wall clock (2 s)"]
    assert outcome.seconds < 10


@needs_cgroups
def test_memory_limit_is_reported_as_out_of_memory(confine):
    outcome = confine("hog = []\nwhile True: hog.append(bytearray(1 << 26))", memory_bytes=256 << 20)
    assert outcome.out_of_memory and "memory (256 MiB)" in outcome.limits_hit


def test_process_limit_stops_a_fork_bomb(confine):
    code = ("import os, time\nfor i in range(500):\n    try:\n        os.fork() or (time.sleep(5), os._exit(0))\n"
            "    except OSError:\n        print('refused'); break")
    assert "refused" in confine(code, processes=32).output_tail


def test_a_double_forked_daemon_dies_with_the_run(confine, tmp_path):
    code = ("import os, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
            "        time.sleep(3); open('escaped', 'w').write('x')\n    os._exit(0)\n")
    confine(code)
    import time

    time.sleep(4)
    assert not (tmp_path / "work" / "escaped").exists()


def test_network_is_unreachable(confine):
    outcome = confine("import socket; socket.create_connection(('1.1.1.1', 80), timeout=3)")
    assert outcome.exit_code != 0
    assert "Network is unreachable" in outcome.output_tail or "OSError" in outcome.output_tail


def test_output_is_capped(confine):
    outcome = confine("print('x' * 100000)", output_bytes=1000)
    assert len(outcome.output_tail) == 1000


@needs_cgroups
def test_a_run_given_cores_cannot_use_others(tmp_path):
    workdir = own_workdir(tmp_path)
    code = ("import os\ntry:\n    os.sched_setaffinity(0, range(os.cpu_count()))\nexcept OSError:\n    pass\n"
            "print(sorted(os.sched_getaffinity(0)))")
    outcome = sandbox.run([sys.executable, "-I", "-c", code], Confinement(workdir, read_only=interpreter()), Limits(), {"PATH": "/usr/bin:/bin"},
                          cpus=(0,))
    assert outcome.output_tail.strip() == "[0]"


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root: without root no command can run as another user, "
                                                   "which confines a run where namespaces are not permitted")
def test_without_namespaces_a_run_is_a_user_of_its_own_and_leaves_no_process_behind(tmp_path, monkeypatch):
    """As in Gradescope's container, where bubblewrap cannot run: the lone user, the rlimits, and its
    daemons (which left the process group) killed when the run ends."""
    monkeypatch.setattr(sandbox, "bubblewrap_works", lambda: False)
    monkeypatch.setattr(sandbox.cgroups, "available", lambda: dict.fromkeys(sandbox.cgroups.CONTROLLERS, False))
    # nor cgroups, which would kill them all too
    workdir = tmp_path / "work"
    workdir.mkdir()
    os.chown(workdir, sandbox.LONE_USER, sandbox.LONE_USER)
    tmp_path.chmod(0o711)
    code = ("import os, resource, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
            "        time.sleep(600)\n    os._exit(0)\n"
            "print(os.getuid(), resource.getrlimit(resource.RLIMIT_NPROC)[0], resource.getrlimit(resource.RLIMIT_CPU)[0])")
    outcome = sandbox.run([sys.executable, "-I", "-c", code], Confinement(workdir), Limits(cpu_seconds=7, processes=50),
                          {"PATH": "/usr/bin:/bin"})
    assert outcome.output_tail.strip().splitlines()[-1] == f"{sandbox.LONE_USER} 50 7", outcome.output_tail
    for _ in range(50):  # SIGKILLed at the run's end: gone (or a zombie) within moments
        if not running_as(sandbox.LONE_USER):
            break
        time.sleep(0.1)
    assert running_as(sandbox.LONE_USER) == []


def running_as(uid: int) -> list[str]:
    """The processes of `uid` that still run (not zombies), as `pid state`."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields["Uid"].split()[0] == str(uid) and not fields["State"].strip().startswith("Z"):
            found.append(f"{status.parent.name} {fields['State'].strip()}")
    return found


def test_the_preflight_finds_every_limit_holding():
    """As `grade` checks before the first student: where the kernel's OOM kill takes the whole run
    (cgroup v2), the kill is the check's answer, not its failure."""
    assert preflight.limit_faults(Limits(), None) == []
