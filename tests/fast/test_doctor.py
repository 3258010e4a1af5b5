"""`python -m autograder doctor`: what the machine offers, which defences hold, how to add the rest."""

from rich.console import Console
from test_host import UID_MAP, a_host

from autograder.commands import doctor as command
from autograder.sandbox.preflight import SandboxBroken


def doctor_says(monkeypatch, settings, broken: str = "", **facts) -> str:
    monkeypatch.setattr(command, "this_host", lambda: a_host(**facts))
    monkeypatch.setattr(command, "check_sandbox", lambda limits: raise_(SandboxBroken(broken)) if broken else None)
    console = Console(record=True, width=200)
    goes_ahead = command.doctor(settings, console)
    return console.export_text() + f"\ngoes ahead: {goes_ahead}"


def raise_(error: Exception):
    raise error


def test_on_a_machine_with_every_defence_nothing_is_left_to_add(monkeypatch, settings):
    said = doctor_says(monkeypatch, settings, root=True, usable={"memory": True, "pids": True, "cpuset": True})
    assert "Nothing to add" in said and "cgroup memory" in said and "preflight" in said
    assert said.endswith("goes ahead: True")


def test_a_failed_preflight_is_said_to_stop_grading_and_nothing_is_called_fine(monkeypatch, settings):
    said = doctor_says(monkeypatch, settings, broken="the memory limit did not hold", root=True,
                       usable={"memory": True, "pids": True, "cpuset": True})
    assert "FAILED" in said and "the memory limit did not hold" in said and "would stop here" in said
    assert "Nothing to add" not in said and said.endswith("goes ahead: False")


def test_with_ubuntus_apparmor_restriction_doctor_says_so_and_how_to_lift_it(monkeypatch, settings):
    said = doctor_says(monkeypatch, settings, bubblewrap_refusal=UID_MAP, apparmor_restricts_userns=True)
    assert "on (kernel.apparmor_restrict_unprivileged_userns = 1)" in said
    assert "no: bwrap: setting up uid map: Permission denied" in said
    assert "apparmor_parser -r /etc/apparmor.d/bwrap" in said and "not run: there is no sandbox" in said


def test_on_cgroup_v2_without_delegation_doctor_gives_the_command_that_delegates(monkeypatch, settings):
    said = doctor_says(monkeypatch, settings, cgroup="v2")
    assert "v2; this grader may use: none" in said and "systemd-run --user --scope -p Delegate=yes" in said
