"""Before the first student's code runs, the sandbox is started exactly as a run is and checked:
the interpreter starts, NumPy and Keras import, the workdir and /tmp take a file, no socket opens
where the harness cuts the network; then, under deliberately small limits, each limit the kit
reports as in force stops what exceeds it (memory, processes, cores). Any failure stops grading
before the first student, saying what failed and what to do: a broken sandbox must not give a
whole class the scores of a notebook that could not start.

Checked once per process and set of limits (inside/preflight.py is what runs in there).
"""

import json
import os
import sys
import tempfile
import threading
from pathlib import Path

from ..errors import KitError
from ..settings import GiB, Limits, MiB
from . import confinement
from .leftovers import owned_name
from .runner import INSIDE, PACKAGE, give_to_sandbox_user, interpreter, own_filesystem, readable_copy, \
    sandbox_environment

LAUNCH = f"import sys; sys.path.insert(0, ''); from {PACKAGE}.preflight import main; main(*sys.argv[1:])"
MARK = "PREFLIGHT "
# What the limits run gets: small enough to exceed quickly, large enough for Python to start.
SMALL = {"memory_bytes": 256 * MiB, "address_space_bytes": GiB, "processes": 32, "cpu_seconds": 120,
         "wall_seconds": 600}
CHECKED: dict[str, "SandboxBroken | None"] = {}
ONE_AT_A_TIME = threading.Lock()


class SandboxBroken(KitError):
    """The sandbox does not work here as a run needs it: no student may be graded in it."""


def check_sandbox(limits: Limits, cpus: tuple[int, ...] | None = None) -> None:
    """Raise SandboxBroken, with what failed and what to do, unless the sandbox works under `limits`."""
    key = json.dumps([limits.model_dump(), [str(path) for path in interpreter()], confinement.defences()])
    with ONE_AT_A_TIME:
        if key not in CHECKED:
            faults = run_faults(limits) or limit_faults(limits, cpus)
            CHECKED[key] = SandboxBroken(explained(faults)) if faults else None
    if CHECKED[key] is not None:
        raise CHECKED[key]


def report(mode: list[str], limits: Limits, cpus: tuple[int, ...] | None) -> tuple[dict | None, confinement.Outcome]:
    """Run inside/preflight.py in a fresh workdir, confined as a run is; its report and how it ended."""
    with tempfile.TemporaryDirectory(prefix=owned_name("preflight")) as base, own_filesystem(Path(base), limits):
        workdir = Path(base) / "work"
        (workdir / "out").mkdir(parents=True)
        readable_copy(INSIDE, workdir / PACKAGE)
        give_to_sandbox_user(workdir)
        if confinement.alone():
            Path(base).chmod(0o711)
        confined = confinement.Confinement(workdir, read_only=interpreter(), log="preflight.log")
        command = [os.path.normpath(sys.executable), "-I", "-c", LAUNCH, *mode]
        environment = sandbox_environment(confined.home, len(cpus) if cpus else 1)
        outcome = confinement.run(command, confined, limits, environment, cpus=cpus)
    lines = [line for line in outcome.output_tail.splitlines() if line.startswith(MARK)]
    said = {key: value for line in lines for key, value in json.loads(line[len(MARK):]).items()}
    return (said if lines else None), outcome


def run_faults(limits: Limits) -> list[str]:
    found, outcome = report(["run"], limits, None)
    if found is None:
        said = "\n    ".join(outcome.output_tail.strip().splitlines()[-6:]) or "(nothing)"
        return [f"Python did not start in the sandbox (exit code {outcome.exit_code}"
                f"{', ' + ' and '.join(outcome.limits_hit) + ' limit hit' if outcome.limits_hit else ''}). "
                f"It said:\n    {said}"]
    names = {"numpy": "importing NumPy", "keras": "importing Keras", "workdir": "writing to the run's workdir",
             "tmp": "writing to the run's /tmp", "socket": "refusing a socket"}
    return [f"{what} failed in the sandbox: {found[key]}" for key, what in names.items()
            if found.get(key) not in ("ok", "not cut")]


def limit_faults(limits: Limits, cpus: tuple[int, ...] | None) -> list[str]:
    small = limits.model_copy(update=SMALL)
    available = confinement.defences()
    given = (cpus or tuple(sorted(os.sched_getaffinity(0))))[:1] if available["cgroup cpuset"] else None
    memory = small.memory_bytes if available["cgroup memory"] else small.address_space_bytes
    found, outcome = report(["limits", str(small.processes), str(memory)], small, given)
    if found is None:
        return [f"the limits check could not run in the sandbox (exit code {outcome.exit_code}): "
                f"{outcome.output_tail.strip()[-400:]}"]
    if "memory" not in found:  # the whole run was stopped during the memory check: by the limit, or not
        found["memory"] = "ok" if outcome.out_of_memory else (
            f"the check was stopped (exit code {outcome.exit_code}) without the memory limit being hit")
    faults = [f"the {name} limit did not hold: {found[name]}" for name in ("memory", "processes")
              if found[name] != "ok"]
    if given is not None and found["cores"] != list(given):
        faults.append(f"the cores limit did not hold: the run was given core(s) {list(given)} and could use "
                      f"{found['cores']}")
    return faults


def explained(faults: list[str]) -> str:
    interpreter_paths = ", ".join(str(path) for path in interpreter())
    return ("The sandbox does not work on this machine as a run needs it, so no student was graded (a run "
            "that cannot start would give every student 0):\n  - " + "\n  - ".join(faults) +
            "\nWhat to do: `python -m autograder doctor` says what this machine offers. The run needs to read "
            f"{interpreter_paths} (as root, as the user nobody); check that c.Autograder.limits leave Python "
            "and Keras room to start (address_space_bytes, memory_bytes, cpu_seconds); reinstall the kit's environment if an import "
            "failed (`make` rebuilds .venv). Where the sandbox cannot be built at all, --unsafe-no-sandbox "
            "grades without it (read the README's threat model first).")
