"""As root: make the user namespace a run will use, then exec bubblewrap in it.

    python -I root_userns.py bwrap OPTIONS...   execs   bwrap --userns N OPTIONS...

Root makes the namespace, not the run's user: Ubuntu's AppArmor
(kernel.apparmor_restrict_unprivileged_userns = 1) and Debian's
kernel.unprivileged_userns_clone = 0 refuse an ordinary user the namespace bubblewrap would
make, never root. In it, only uid and gid 65534 are mapped, to nobody outside, and no further
user namespace may be made (its user.max_user_namespaces is 0, which a run, holding no capability
there, cannot raise). bubblewrap joins it with --userns, becomes nobody there with --uid/--gid and
drops every capability. Root's supplementary groups are cleared here, so none follows the run.

A script of its own, run by the grader's interpreter, because it forks: not in the threaded grader.
"""

import ctypes
import os
import sys

CLONE_NEWUSER = 0x10000000
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
    namespace = make_namespace()
    os.set_inheritable(namespace, True)
    os.setgroups([])
    os.execvp(command[0], [command[0], "--userns", str(namespace), *command[1:]])


if __name__ == "__main__":
    main(sys.argv[1:])
