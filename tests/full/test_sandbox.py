"""The sandbox confines and limits any command, and says how it ended."""

import os
import sys
from pathlib import Path

import pytest
from conftest import needs_sandbox

from autograder.sandbox import confinement as sandbox
from autograder.sandbox.confinement import Confinement
from autograder.settings import Limits

pytestmark = needs_sandbox


@pytest.fixture
def confine(tmp_path):
    """Run Python code as the sandbox would, hiding the course, homes and temp dirs."""
    workdir = tmp_path / "work"
    workdir.mkdir()
    os.chown(workdir, sandbox.NOBODY, sandbox.NOBODY)
    tmp_path.chmod(0o755)
    course = Path(__file__).resolve().parents[2]
    confinement = Confinement(workdir, hide=(course, Path.home(), Path("/tmp"), tmp_path),
                              expose=(Path(os.path.realpath(sys.base_prefix)), Path(sys.prefix), workdir))

    def run(code: str, **limits):
        return sandbox.run([sys.executable, "-I", "-c", code], confinement, Limits(**limits), {"PATH": "/usr/bin:/bin"})

    return run


def test_command_runs_as_an_unprivileged_user(confine):
    assert confine("import os; print(os.getuid())").output_tail.strip() == str(sandbox.NOBODY)


def test_hidden_directories_look_empty_but_the_interpreter_works(confine):
    course = Path(__file__).resolve().parents[2]
    outcome = confine(f"import os, numpy; print(sorted(os.listdir({str(course)!r})))")
    assert outcome.exit_code == 0
    assert outcome.output_tail.strip() == (str([".venv"]) if Path(sys.prefix).parent == course else "[]")


def test_wall_clock_limit_kills_an_endless_loop(confine):
    outcome = confine("while True: pass", wall_seconds=2)
    assert outcome.timed_out and outcome.limits_hit == ["wall clock (2 s)"]
    assert outcome.seconds < 10


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


def test_a_run_given_cores_cannot_use_others(tmp_path):
    workdir = tmp_path / "work"
    workdir.mkdir()
    os.chown(workdir, sandbox.NOBODY, sandbox.NOBODY)
    code = ("import os\ntry:\n    os.sched_setaffinity(0, range(os.cpu_count()))\nexcept OSError:\n    pass\n"
            "print(sorted(os.sched_getaffinity(0)))")
    outcome = sandbox.run([sys.executable, "-I", "-c", code], Confinement(workdir), Limits(), {"PATH": "/usr/bin:/bin"},
                          cpus=(0,))
    assert outcome.output_tail.strip() == "[0]"
