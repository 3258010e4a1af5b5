"""What the machine offers the sandbox (sandbox/host.py), and the remedy a refusal names for it."""

from autograder.sandbox import host
from autograder.sandbox.host import Host, cgroup_remedy, sandbox_remedy, summary

UID_MAP = "bwrap: setting up uid map: Permission denied"


def a_host(**facts) -> Host:
    known = dict(root=False, cores=2, memory_bytes=8 << 30, bubblewrap="/usr/bin/bwrap", bubblewrap_refusal=None,
                 userns_off=None, apparmor_restricts_userns=False, cgroup="v1",
                 usable={"memory": False, "pids": False, "cpuset": False})
    return Host(**{**known, **facts})


def test_without_bubblewrap_the_remedy_is_to_install_it():
    assert "apt install bubblewrap" in sandbox_remedy(a_host(bubblewrap=None))


def test_under_ubuntus_apparmor_restriction_the_remedy_is_bwraps_profile_or_the_sysctl_with_their_trade_off():
    remedy = sandbox_remedy(a_host(bubblewrap_refusal=UID_MAP, apparmor_restricts_userns=True))
    assert "profile bwrap /usr/bin/bwrap flags=(unconfined)" in remedy and "apparmor_parser -r" in remedy
    assert "kernel.apparmor_restrict_unprivileged_userns=0" in remedy and "whole machine" in remedy
    assert "install bubblewrap" not in remedy  # it is installed: telling the instructor to install it misleads


def test_bubblewraps_uid_map_refusal_is_read_as_the_restriction_where_the_sysctl_cannot_be_read():
    assert "apparmor_parser" in sandbox_remedy(a_host(bubblewrap_refusal=UID_MAP))


def test_user_namespaces_turned_off_name_the_setting_that_turns_them_on():
    remedy = sandbox_remedy(a_host(bubblewrap_refusal="No permissions to creating new namespace",
                                   userns_off="kernel.unprivileged_userns_clone = 0"))
    assert "sysctl kernel.unprivileged_userns_clone=1" in remedy


def test_the_summary_says_in_one_line_what_holds():
    line = summary(a_host(root=True, cgroup="v1", usable={"memory": True, "pids": True, "cpuset": True}))
    assert line == "bubblewrap sandbox; cgroup v1: memory, pids, cpuset limits; root; 2 cores, 8 GiB"
    assert summary(a_host(bubblewrap=None)).startswith("NO sandbox")


def test_what_cgroups_would_add_is_said_only_when_they_are_missing():
    assert cgroup_remedy(a_host(usable={"memory": True, "pids": True, "cpuset": True})) is None
    assert "as root" in cgroup_remedy(a_host(cgroup="v1"))
    assert "systemd-run --user --scope -p Delegate=yes" in cgroup_remedy(a_host(cgroup="v2"))
    assert "may not hand cgroup controllers down" in cgroup_remedy(a_host(cgroup="v2", root=True))


def test_kernel_settings_are_read_where_they_exist(monkeypatch, tmp_path):
    (tmp_path / "kernel").mkdir()
    (tmp_path / "kernel" / "apparmor_restrict_unprivileged_userns").write_text("1\n")
    monkeypatch.setattr(host, "PROC_SYS", tmp_path)
    assert host.sysctl("kernel.apparmor_restrict_unprivileged_userns") == "1"
    assert host.sysctl("kernel.no_such_setting") is None
