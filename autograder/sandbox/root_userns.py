"""As root: make the user namespace a run will use, then exec bubblewrap in it.

    python -I root_userns.py bwrap OPTIONS...   runs   bwrap --userns N --info-fd M OPTIONS...

Root makes the namespace, not the run's user: Ubuntu's AppArmor
(kernel.apparmor_restrict_unprivileged_userns = 1) and Debian's
kernel.unprivileged_userns_clone = 0 refuse an ordinary user the namespace bubblewrap would
make, never root. In it, only uid and gid 65534 are mapped, to nobody outside, and no further
user namespace may be made (its user.max_user_namespaces is 0, which a run, holding no capability
there, cannot raise). bubblewrap joins it with --userns, becomes nobody there with --uid/--gid and
drops every capability. Root's supplementary groups are cleared here, so none follows the run.

It stays, as bubblewrap's parent, for one more job. A sandbox dies with its grader through the
kernel's parent-death signal, which bubblewrap's own process, root without capabilities in there,
may not send to nobody's; so when the grader dies (this process's own parent-death signal,
SIGTERM), this process, root outside, kills the sandbox's first process, and the kernel the rest.

A script of its own, run by the grader's interpreter, because it forks: not in the threaded grader.
"""

import ctypes
import os
import re
import signal
import subprocess
import sys

CLONE_NEWUSER = 0x10000000
PR_SET_PDEATHSIG = 1
NOBODY = 65534


def make_namespace() -> int:
    """A fresh user namespace, open as a descriptor: a child unshares and closes the door behind it,
    the parent (root outside) writes its maps."""
    ready_read, ready_write = os.pipe()
    done_read, done_write = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(ready_read)
        os.close(done_write)
        os._exit(in_child(ready_write, done_read))
    os.close(ready_write)
    os.close(done_read)
    if os.read(ready_read, 1) != b"1":
        os.waitpid(child, 0)
        sys.exit(1)  # the child said why
    try:
        for kind in ("uid", "gid"):
            with open(f"/proc/{child}/{kind}_map", "w") as mapping:
                mapping.write(f"{NOBODY} {NOBODY} 1\n")
        return os.open(f"/proc/{child}/ns/user", os.O_RDONLY)
    finally:
        os.close(done_write)
        os.waitpid(child, 0)


def in_child(ready: int, done: int) -> int:
    try:
        if ctypes.CDLL(None, use_errno=True).unshare(CLONE_NEWUSER) != 0:
            raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWUSER)")
        with open("/proc/sys/user/max_user_namespaces", "w") as limit:
            limit.write("0")
    except OSError as error:
        print(f"root_userns: could not make the run's user namespace: {error}", file=sys.stderr)
        return 1
    os.write(ready, b"1")
    os.read(done, 1)  # until the parent has written the maps and opened the namespace
    return 0


def main(command: list[str]) -> None:
    grader = os.getppid()
    namespace = make_namespace()
    os.set_inheritable(namespace, True)
    os.setgroups([])
    info, told = os.pipe()
    os.set_inheritable(told, True)
    bwrap = subprocess.Popen([command[0], "--userns", str(namespace), "--info-fd", str(told), *command[1:]],
                             close_fds=False)  # the descriptors the grader passed (bwrap's options) go on
    os.close(told)
    signal.signal(signal.SIGTERM, lambda *_: kill_sandbox(bwrap, info))
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != grader:  # the grader died before the line above
        kill_sandbox(bwrap, info)
    code = bwrap.wait()
    sys.exit(code if code >= 0 else 128 - code)


def kill_sandbox(bwrap: subprocess.Popen, info: int) -> None:
    """SIGKILL the sandbox's first process (the kernel then kills every process in it) and bubblewrap."""
    os.set_blocking(info, False)
    try:
        told = os.read(info, 4096)
    except BlockingIOError:
        told = b""
    found = re.search(rb'"child-pid":\s*(\d+)', told)
    for pid in ([int(found.group(1))] if found else []) + [bwrap.pid]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


if __name__ == "__main__":
    main(sys.argv[1:])
