"""Grade a class: every submission in parallel, every result kept as it finishes.

An interrupted run resumes where it stopped: finished submissions are cached by
content hash. One student's failure, even the kit's own, touches no other.
"""

import os
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Callable

from ..course import notebooks
from ..data.mnist import find_mnist
from ..data.splits import course_secret
from ..errors import KitError
from ..evaluation.reference_answers import prepare_answers
from ..sandbox.cancellation import Interrupted
from ..sandbox.confinement import defences
from ..sandbox.host import sandbox_remedy, this_host
from ..sandbox.leftovers import clear_leftovers
from ..sandbox.preflight import SandboxBroken, check_sandbox
from ..settings import Settings
from ..submissions.collect import Submission
from ..submissions.intake import content_hash, too_large
from .cores import CoreSlots
from .result import GRADER_FAILED, NOTHING_SUBMITTED, RESULT, Result
from .submission import Grading, grade, probe_seed, stored_result


REQUIRED_DEFENCES = ("bubblewrap sandbox",)  # the cgroups (root only) protect neighbours better; their absence is said


def missing_defences() -> list[str]:
    return [name for name, available in defences().items() if not available]


def prepare(settings: Settings, workers: int = 1) -> Grading:
    """Check the sandbox can be built, find MNIST, read the release: what every submission shares."""
    missing = [name for name in missing_defences() if name in REQUIRED_DEFENCES]
    if missing and settings.container_sandbox and os.geteuid() != 0:
        raise KitError("This container permits no namespaces, so the grader runs student code as a user of its own: "
                       "that needs root. Run the grader (run_autograder) as root.")
    if missing and not (settings.unsafe_no_sandbox or settings.container_sandbox):
        raise KitError("This machine cannot build the sandbox (bubblewrap with user namespaces), which keeps student "
                       "code from reading the course, the reference solution and other students' results, and from "
                       f"harming other runs. {sandbox_remedy(this_host())} Or, if you accept that exposure, pass "
                       "--unsafe-no-sandbox (or set c.Autograder.unsafe_no_sandbox = True).")
    if not settings.release_notebook.is_file():
        raise KitError(f"There is no {settings.release_notebook}: check the assignment's name, or release it first "
                       f"(`make release`, or `nbgrader generate_assignment {settings.assignment}`).")
    settings.results_dir.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        clear_leftovers()  # of graders killed outright: their mounts, temp folders, cgroups
    return Grading(settings=settings, mnist=find_mnist(settings), release=notebooks.read(settings.release_notebook),
                   secret=course_secret(settings.course_root),
                   cores=CoreSlots(workers))


def default_workers(settings: Settings) -> int:
    """One worker per core, as many as the memory holds (bench/grading_throughput.py:
    on 2 cores, 2 one-core workers grade 1.9 times as fast as 1 two-core worker)."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return max(1, min(os.cpu_count() or 1, memory // (settings.limits.memory_bytes + (1 << 30))))


def grade_class(submissions: list[Submission], grading: Grading, workers: int,
                on_result: Callable[[Result], None] = lambda result: None) -> list[Result]:
    """Every submission's result, sorted by student; Ctrl-C stops every run at once and keeps what finished.
    When any needs a run, the sandbox is checked first: if it cannot run a notebook, no one is graded."""
    new = set(needing_a_run(submissions, grading))
    fresh = {submission.student for submission in submissions if submission.path in new}
    if fresh:
        check_sandbox(grading.settings.limits)
    ask_the_reference_once(submissions, grading)
    results = []
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        futures = [pool.submit(grade_one, submission, grading) for submission in submissions]
        for future in as_completed(futures):
            results.append(future.result())
            on_result(results[-1])
    except KeyboardInterrupt:
        pool.shutdown(wait=False, cancel_futures=True)
        grading.cancellation.cancel()  # what finished is written; what was running leaves nothing behind
        raise
    pool.shutdown()
    refuse_a_class_stopped_alike([result for result in results if result.student in fresh and not result.problem],
                                 grading)
    return sorted(results, key=lambda result: result.student)


def refuse_a_class_stopped_alike(fresh: list[Result], grading: Grading) -> None:
    """The second guard behind the preflight: when every run of this grading (three or more) stopped in the
    locked first cell, at the same exit code, with no limit hit and before the harness said its first line
    (so before any of a student's code ran: a step function can kill its harness, but only once it runs),
    no student caused it. Their results are not kept (the next `grade` runs them again), and the class
    stops as a fault of the grader's."""
    stops = {(result.stopped_in, result.exit_code, bool(result.limits_hit)) for result in fresh}
    if len(fresh) < 3 or len(stops) != 1:
        return
    first, _, limited = stops.pop()
    if limited or not (first or "").startswith("code cell 1 ") or any(harness_started(grading, r) for r in fresh):
        return
    for result in fresh:
        (grading.folder(result.student) / RESULT).unlink(missing_ok=True)
    log = grading.folder(fresh[0].student) / "run" / "output.log"
    said = "\n    ".join(log.read_text(errors="replace").strip().splitlines()[-6:]) if log.is_file() else ""
    raise SandboxBroken(f"All {len(fresh)} notebooks graded stopped in {first.rstrip(',')} (exit code "
                        f"{fresh[0].exit_code}), the locked set-up cell no student can change: the grader's fault, "
                        f"not theirs, so no result was kept. The first run's log ends:\n    {said}\n"
                        "`python -m autograder doctor` says what this machine offers.")


def harness_started(grading: Grading, result: Result) -> bool:
    """The run's harness printed its first line (sandbox/inside/no_network.py), which comes before any of
    the student's code."""
    log = grading.folder(result.student) / "run" / "output.log"
    return log.is_file() and any(line.startswith("network: ") for line in log.read_text(errors="replace").splitlines())


def ask_the_reference_once(submissions: list[Submission], grading: Grading) -> None:
    """The reference's answers to every new submission's probes, in one process (one Keras import)."""
    new = needing_a_run(submissions, grading)
    prepare_answers(grading.answers, grading.reference, [probe_seed(content_hash(path)) for path in new],
                    grading.settings.limits)


def needing_a_run(submissions: list[Submission], grading: Grading) -> list[Path]:
    """The submitted files not graded before by this kit: each will run in the sandbox."""
    return [submission.path for submission in submissions if submission.path.is_file()
            and not too_large(submission.path, grading.settings.limits.notebook_bytes)
            and not stored_result(submission.path, grading.folder(submission.student))]


def already_graded(submission: Submission, grading: Grading) -> Result | None:
    """The result of a submission that needs no run: nothing submitted, or a file too large to read
    (each recorded as such), or this very file graded before by this kit."""
    if not submission.path.is_file():
        return recorded_problem(submission, grading, NOTHING_SUBMITTED)
    if refused := too_large(submission.path, grading.settings.limits.notebook_bytes):
        return recorded_problem(submission, grading, refused)
    return stored_result(submission.path, grading.folder(submission.student))


def grade_one(submission: Submission, grading: Grading) -> Result:
    try:
        return already_graded(submission, grading) or grade(submission.path, submission.student, grading)
    except (Interrupted, SandboxBroken):  # the class stops: no one is graded in a broken sandbox
        raise
    except Exception as error:  # a fault of the kit's: recorded for this student, the class goes on
        return recorded_problem(submission, grading, f"{GRADER_FAILED} ({type(error).__name__}: {error})")


def recorded_problem(submission: Submission, grading: Grading, problem: str) -> Result:
    result = grading.new_result(submission.student, problem=problem)
    result.write(grading.folder(submission.student) / RESULT)
    return result
