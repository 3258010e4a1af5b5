"""An ordinary grader given a cgroup of its own (cgroup v2, delegated) takes it for its runs: itself and
any process of its own still there (a run ending) move to a leaf, the controllers are handed down; a
cgroup shared with anyone else's process is left alone. (Played on a folder standing in for
/sys/fs/cgroup: the kernel's own files are tried in the VM, tests/full/test_other_kernels.py.)"""

import os
import subprocess

import pytest

from autograder.sandbox import cgroups


@pytest.fixture
def own(tmp_path, monkeypatch):
    """This process's cgroup, `delegated/`, in a stand-in cgroup root; its members are written in by each test."""
    folder = tmp_path / "delegated"
    folder.mkdir()
    (folder / "cgroup.controllers").write_text("cpuset memory pids")
    (folder / "cgroup.subtree_control").write_text("")
    real_read = cgroups.Path.read_text
    monkeypatch.setattr(cgroups, "CGROUP_ROOT", tmp_path)
    monkeypatch.setattr(cgroups.Path, "read_text", lambda self, *a, **k: "0::/delegated\n"
                        if str(self) == "/proc/self/cgroup" else real_read(self, *a, **k))
    return folder


def test_a_process_of_the_graders_own_still_in_its_cgroup_does_not_keep_it_from_limiting_runs(own):
    ending = subprocess.Popen(["sleep", "30"])
    try:
        (own / "cgroup.procs").write_text(f"{os.getpid()}\n{ending.pid}\n")
        assert cgroups.delegated_parent() == own
        assert (own / "grader" / "cgroup.procs").read_text() == str(ending.pid)  # the last one moved
    finally:
        ending.kill()


def test_a_cgroup_shared_with_another_users_process_is_left_alone(own):
    (own / "cgroup.procs").write_text(f"{os.getpid()}\n1\n")
    assert cgroups.delegated_parent() is None
    assert not (own / "grader").exists()
