"""`python -m autograder grade`: grade the class, update the gradebook, print the summary."""

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from ..errors import KitError
from ..gradebook.update import GradebookUpdate, generate_feedback, seconds_late, update_gradebook
from ..gradebook.viva import viva_grades
from ..grading.class_grading import default_workers, grade_class, prepare
from ..grading.result import Result, stored_results
from ..grading.submission import rejudge_all
from ..reports.console import progress, summary_table
from ..reports.course_outputs import publish_feedback_pages, write_outputs
from ..sandbox.confinement import LONE_USER
from ..sandbox.host import cgroup_remedy, summary, this_host
from ..settings import Settings
from ..submissions.collect import Submission, submitted
from ..submissions.lms_import import import_loose


def grade_command(settings: Settings, *, source: Path | None = None, student: str | None = None,
                  workers: int | None = None, rejudge_only: bool = False, gradebook: bool = True,
                  console: Console | None = None) -> list[Result]:
    console = console or Console()
    if not rejudge_only:
        say_what_holds(settings, console)
    submissions = to_grade(settings, source, console)
    if student:
        submissions = [s for s in submissions if s.student == student]
        if not submissions:
            raise KitError(f"No submission from {student!r}: check the name under submitted/")
    if rejudge_only:
        results = rejudge_all([submission.student for submission in submissions], settings)
    else:
        results = grade_all(submissions, settings, workers or default_workers(settings))
    late, update = {}, GradebookUpdate()
    if gradebook:
        update = update_gradebook(settings, results)
        late = seconds_late(settings)
    console.print(summary_table(results, late))
    for problem in update.problems:
        console.print(f"[red]nbgrader could not record {problem}[/]\n[red]That student has zeros in the gradebook; "
                      "the kit's result is kept.[/]")
    write_all_outputs(settings, [r.student for r in results] if student else None, gradebook, console,
                      fresh=update.entered)
    return results


def say_what_holds(settings: Settings, console: Console) -> None:
    """The machine in one line (`doctor` says more), and what grading here goes without."""
    host = this_host()
    console.print(f"This machine: {summary(host)} (python -m autograder doctor says more).")
    if not host.sandbox and (settings.unsafe_no_sandbox or settings.container_sandbox):
        who = (f"a user of its own (uid {LONE_USER}), one run at a time: it can read what any user may"
               if os.geteuid() == 0 else "this user: it can read and write what you can")
        console.print(f"[red]Grading without the sandbox: student code runs as {who}.[/]")
    elif host.sandbox and cgroup_remedy(host):
        console.print(f"[yellow]{escape(cgroup_remedy(host))}[/]")


def to_grade(settings: Settings, source: Path | None, console: Console) -> list[Submission]:
    """The loose files of `source` brought into submitted/, or what submitted/ holds; what is left out, said."""
    if source:
        return import_loose(source, settings, skipped=lambda names: console.print(
            f"[yellow]Skipped {len(names):,} file(s) that are not notebooks (.ipynb), so no student's submission: "
            f"{escape(', '.join(names[:10]))}{' and more' if len(names) > 10 else ''}.[/]"))
    return submitted(settings, skipped=lambda name: console.print(
        f"[red]Skipped submitted/{escape(repr(name))}: formgrader shows a student's id as it is, and this one "
        "would be markup there. Rename the folder to the student's plain id and grade again.[/]"))


def write_all_outputs(settings: Settings, students: list[str] | None, gradebook: bool, console: Console,
                      fresh: list[str] | None = None) -> None:
    """Every output, from the stored results of the whole class (or of `students`): nbgrader's feedback
    notebooks (when there is a gradebook: for the `fresh` students whose entry changed, else all), the
    kit's feedback pages, grades, class report, Gradescope. nbgrader's feedback is made in its own
    process while the kit draws its pages and figures."""
    results, damaged = stored_results(settings.results_dir)
    for line in damaged:
        console.print(f"[red]{line}[/]")
    if students is not None:
        results = [result for result in results if result.student in students]
    viva, feedback = {}, None
    with ThreadPoolExecutor(max_workers=1) as beside:
        if gradebook and results:
            if fresh is not None:  # and any autograded student whose feedback is not there (deleted, never made)
                fresh = [*fresh, *(r.student for r in results if settings.notebook_in("autograded", r.student).is_file()
                                   and not settings.notebook_in("feedback", r.student).with_suffix(".html").is_file())]
            feedback = beside.submit(nbgrader_feedback, settings, sorted(set(fresh)) if fresh is not None else None)
            viva = viva_grades(settings)
        where = write_outputs(settings, results, viva)
    if feedback and (problem := feedback.result()):
        console.print(f"[red]{problem}[/]")
    where |= publish_feedback_pages(settings, results)
    where["Autograded notebooks"] = settings.course_folder("autograded")
    where["Results"] = settings.results_dir
    for name, path in where.items():
        console.print(f"{name + ':':22}[bold]{path}[/]")


def nbgrader_feedback(settings: Settings, only: list[str] | None) -> str | None:
    """nbgrader's feedback notebooks; what went wrong, if nbgrader failed (the kit's pages are made all the same)."""
    try:
        generate_feedback(settings, only)
    except KitError as error:
        return str(error)
    return None


def report_command(settings: Settings, gradebook: bool, console: Console) -> None:
    """`python -m autograder report`: every output again, from the stored results alone."""
    if not any(settings.results_dir.glob("*/result.json")):
        raise KitError(f"There are no graded results in {settings.results_dir}: run `python -m autograder grade` "
                       "first (in the course folder, or with --course).")
    write_all_outputs(settings, None, gradebook, console)


def grade_all(submissions, settings: Settings, workers: int) -> list[Result]:
    grading = prepare(settings, workers)
    with progress() as bar:
        task = bar.add_task("", total=len(submissions))
        advance = lambda result: bar.update(task, advance=1, description=result.student)  # noqa: E731
        if settings.dask_scheduler:
            from ..grading.on_dask import grade_on_dask

            return grade_on_dask(submissions, grading, settings.dask_scheduler, advance)
        return grade_class(submissions, grading, workers, advance)
