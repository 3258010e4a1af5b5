"""`make bench`: one class graded two ways, side by side, in the same run on the same machine.

- baseline: plain `nbgrader autograde` of the practical as an ordinary nbgrader course
  (bench/plain_nbgrader.py);
- kit: `python -m autograder grade` in a course made by `init`;
then the kit's rejudge (checks only), an unchanged re-run, and each worker count up to the cores.
The class: N students (default 8), all correct but two mistakes and one notebook that never ends;
both graders stop that one at the same budget (the baseline's cell timeout, the kit's CPU time).
Prints wall time, time per submission, the peak memory of the largest process, and kit/baseline.

    MNIST_PATH=... .venv/bin/python bench/grade_class.py [N] [--no-loop]

With --no-loop the looping student hands in a correct notebook instead: the ratio on honest work
alone, which the loop's equal budget in both graders otherwise bounds (bench/README.md).
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

import plain_nbgrader as plain  # noqa: E402
from fixtures.submissions import HOSTILE, MISTAKES, edited  # noqa: E402

from autograder.course import notebooks  # noqa: E402
from autograder.course.nbgrader_commands import with_venv_on_path  # noqa: E402
from autograder.data.mnist import find_mnist  # noqa: E402
from autograder.grading.result import Result  # noqa: E402
from autograder.settings import Settings  # noqa: E402

MEASURED = ("import resource, subprocess, sys, time; started = time.monotonic(); "
            "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True); "
            "print(time.monotonic() - started, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "
            "done.returncode); sys.stderr.write(done.stderr[-3000:] if done.returncode else '')")


def measured(command: list[str], cwd: Path, env: dict) -> tuple[float, float]:
    """Wall seconds, and the peak resident memory (MiB) of the largest process the command started."""
    done = subprocess.run([sys.executable, "-c", MEASURED, *command], cwd=cwd, env=env, capture_output=True, text=True)
    seconds, peak_kib, code = done.stdout.split()
    if code != "0":
        raise SystemExit(f"{' '.join(command[:4])} failed:\n{done.stderr}")
    return float(seconds), int(peak_kib) / 1024


def the_class(size: int, loop: bool = True) -> list[tuple[str, str]]:
    kinds = ["hangs" if loop else "correct", "sgd", "no_scaling"] + ["correct"] * max(size - 3, 0)
    return [(f"student{number:02d}_{kind}", kind) for number, kind in enumerate(kinds[:size])]


def baseline(root: Path, students, env: dict) -> tuple[float, float]:
    plain.write_course(root)
    nbgrader = [sys.executable, "-m", "nbgrader"]
    subprocess.run([*nbgrader, "generate_assignment", plain.ASSIGNMENT, "--force"], cwd=root, env=env, check=True,
                   capture_output=True)
    for student, kind in students:
        folder = root / "submitted" / student / plain.ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(plain.submission(plain.MISTAKES.get(kind)), folder / f"{plain.ASSIGNMENT}.ipynb")
    return measured([*nbgrader, "autograde", plain.ASSIGNMENT, "--create", "--force"], root, env)


def baseline_scores(root: Path) -> list[float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "bench-plain") as gb:
        return sorted(submission.score for submission in gb.assignment_submissions(plain.ASSIGNMENT))


def kit_scores(root: Path) -> list[float]:
    results = [Result.read(path) for path in root.glob("results/mnist_ann/*/result.json")]
    return sorted(result.score for result in results)


def kit_notebooks(settings: Settings) -> dict:
    reference = notebooks.read(settings.solutions_dir / f"{settings.assignment}.ipynb")
    return {"correct": reference, "sgd": edited(reference, MISTAKES["sgd_optimizer"].edit),
            "no_scaling": edited(reference, MISTAKES["no_scaling"].edit),
            "hangs": edited(reference, *HOSTILE["loops_forever"])}


def kit_course(root: Path, students, env: dict) -> Path:
    subprocess.run([sys.executable, "-m", "autograder", "init", str(root)], env=env, check=True, capture_output=True)
    with open(root / "nbgrader_config.py", "a") as config:
        config.write(f'\nc.Autograder.limits = {{"cpu_seconds": {plain.CELL_TIMEOUT}}}\n')
    by_kind = kit_notebooks(Settings())
    for student, kind in students:
        notebooks.write(by_kind[kind], root / "submitted" / student / "mnist_ann" / "mnist_ann.ipynb")
    return root


def stages(root: Path) -> str:
    seconds = [json.loads(path.read_text())["seconds"] for path in root.glob("results/mnist_ann/*/result.json")]
    means = {stage: statistics.mean(s.get(stage, 0) for s in seconds) for stage in ("probes", "run", "evaluate", "checks")}
    return ", ".join(f"{stage} {value:.1f} s" for stage, value in means.items())


def main(size: int, loop: bool) -> None:
    env = {**with_venv_on_path(), "MNIST_PATH": str(find_mnist(Settings()))}  # nbgrader runs `alembic` by name
    students, cores = the_class(size, loop), os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        base = baseline(scratch / "plain", students, env)
        print(f"{'':34} {'wall':>8} {'per sub.':>9} {'peak MiB':>9} {'× baseline':>11}")

        def row(name: str, seconds: float, peak: float) -> None:
            print(f"{name:34} {seconds:7.1f}s {seconds / size:8.1f}s {peak:9.0f} {seconds / base[0]:10.3f}×", flush=True)

        row("baseline: nbgrader autograde", *base)
        course = kit_course(scratch / "kit", students, env)
        grade = [sys.executable, "-m", "autograder", "grade"]
        row(f"kit: first grading ({cores} workers)", *measured(grade, course, env))
        kit_stages = stages(course)
        row("kit: rejudge (checks only)", *measured([*grade, "--rejudge"], course, env))
        row("kit: unchanged re-run", *measured(grade, course, env))
        for workers in range(1, cores):
            fresh = kit_course(scratch / f"kit{workers}", students, env)
            row(f"kit: first grading, {workers} worker(s)", *measured([*grade, "--workers", str(workers)], fresh, env))
        print(f"\nkit stages per submission ({cores} workers): {kit_stages}")
        print(f"scores: baseline {baseline_scores(scratch / 'plain')} of 11, kit {kit_scores(course)} of 16")
        print(f"{size} students ({', '.join(kind for _, kind in students[:3])}, the rest correct), full MNIST, "
              f"{cores} cores, {date.today()}; " + (f"the looping notebook stops at {plain.CELL_TIMEOUT} s in both"
                                                     if loop else "no looping notebook (--no-loop)"))


if __name__ == "__main__":
    numbers = [argument for argument in sys.argv[1:] if argument.isdigit()]
    main(int(numbers[0]) if numbers else 8, loop="--no-loop" not in sys.argv[1:])
