"""Run a command as an unprivileged user, as a grader without root would: a user of its own,
created once, in a private mount namespace where this interpreter and the kit are reachable
(a Python under /root, say, is not reachable by other users as installed)."""

import os
import shlex
import subprocess
from pathlib import Path

USER = "autograder-test"


def ensure_user() -> int:
    """The test user's uid, creating the user (no home, no login) if it is not there."""
    found = subprocess.run(["id", "-u", USER], capture_output=True, text=True)
    if found.returncode != 0:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER], check=True)
        found = subprocess.run(["id", "-u", USER], capture_output=True, text=True, check=True)
    return int(found.stdout)


def blocked_ancestor(path: Path) -> Path | None:
    """The outermost folder above `path` that other users cannot pass through."""
    return next((parent for parent in reversed(path.parents) if not parent.stat().st_mode & 0o001), None)


def as_user(command: list[str], reachable: list[Path], uid: int | None = None) -> list[str]:
    """`command` as USER (or as `uid`, which needs no account), with each of `reachable` bound back
    under a world-passable tmpfs over whatever folder would stop that user on the way to it (in a
    mount namespace of its own)."""
    hidden = [path for path in reachable if blocked_ancestor(path)]
    stage = [f"mkdir /mnt/{index} && mount --bind {shlex.quote(str(path))} /mnt/{index}"
             for index, path in enumerate(hidden)]
    cover = [f"mount -t tmpfs -o mode=755 cover {shlex.quote(str(folder))}"
             for folder in dict.fromkeys(map(blocked_ancestor, hidden))]
    restore = [f"mkdir -p {shlex.quote(str(path))} && mount --bind /mnt/{index} {shlex.quote(str(path))}"
               for index, path in enumerate(hidden)]
    script = ["set -e", "mount -t tmpfs -o mode=755 stage /mnt", *stage, *cover, *restore,
              f'exec setpriv --reuid={uid} --regid={uid} --clear-groups -- "$@"' if uid else
              f'exec setpriv --reuid={USER} --regid={USER} --init-groups -- "$@"']
    return ["unshare", "--mount", "--", "sh", "-c", "\n".join(script), "as-user", *command]


def run_as_user(command: list[str], reachable: list[Path], home: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    uid = ensure_user()
    os.chown(home, uid, uid)
    return subprocess.run(as_user(command, reachable), capture_output=True, text=True, cwd=home,
                          env={**env, "HOME": str(home)})
