"""`python -m autograder doctor`: what the machine offers, which defences hold, how to add the rest."""

from rich.console import Console
from test_host import UID_MAP, a_host

from autograder.commands import doctor as command


def doctor_says(monkeypatch, settings, **facts) -> str:
    monkeypatch.setattr(command, "this_host", lambda: a_host(**facts))
    monkeypatch.setattr(command, "check_sandbox", lambda limits: None)
    console = Console(record=True, width=200)
    command.doctor(settings, console)
    return console.export_text()


def test_on_a_machine_with_every_defence_nothing_is_left_to_add(monkeypatch, settings):
    said = doctor_says(monkeypatch, settings, root=True, usable={"memory": True, "pids": True, "cpuset": True})
    assert "Nothing to add" in said and "cgroup memory" in said and "preflight" in said


def test_with_ubuntus_apparmor_restriction_doctor_says_so_and_how_to_lift_it(monkeypatch, settings):
    said = doctor_says(monkeypatch, settings, bubblewrap_refusal=UID_MAP, apparmor_restricts_userns=True)
    assert "on (kernel.apparmor_restrict_unprivileged_userns = 1)" in said
    assert "no: bwrap: setting up uid map: Permission denied" in said
    assert "apparmor_parser -r /etc/apparmor.d/bwrap" in said and "not run: there is no sandbox" in said


def test_on_cgroup_v2_without_delegation_doctor_gives_the_command_that_delegates(monkeypatch, settings):
    said = doctor_says(monkeypatch, settings, cgroup="v2")
    assert "v2; this grader may use: none" in said and "systemd-run --user --scope -p Delegate=yes" in said
