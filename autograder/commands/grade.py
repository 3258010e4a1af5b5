"""`python -m autograder grade`: grade the class, update the gradebook, print the summary."""

from pathlib import Path

from rich.console import Console

from ..errors import KitError
from ..gradebook.update import seconds_late, update_gradebook
from ..grading.class_grading import default_workers, grade_class, missing_defences, prepare
from ..grading.result import Result
from ..grading.submission import rejudge
from ..reports.class_report import write_class_report
from ..reports.console import progress, summary_table
from ..reports.gradescope import write_gradescope
from ..reports.grades_csv import write_grades_csv
from ..settings import Settings
from ..submissions.collect import submitted
from ..submissions.lms_import import import_loose


def grade_command(settings: Settings, *, source: Path | None = None, student: str | None = None,
                  workers: int | None = None, rejudge_only: bool = False, gradebook: bool = True,
                  console: Console | None = None) -> list[Result]:
    console = console or Console()
    missing = [] if rejudge_only else missing_defences()
    if "bubblewrap sandbox" in missing:
        if settings.unsafe_no_sandbox:
            console.print("[red]Grading without the sandbox: student code can read and write what this user can "
                          "(--unsafe-no-sandbox).[/]")
    elif missing:
        console.print(f"[yellow]No {', '.join(missing)} here (they need root and cgroup v1): each run's memory is "
                      "limited per process only, and runs share the cores.[/]")
    submissions = import_loose(source, settings) if source else submitted(settings)
    if student:
        submissions = [s for s in submissions if s.student == student]
        if not submissions:
            raise KitError(f"No submission from {student!r}: check the name under submitted/")
    if rejudge_only:
        results = [result for s in submissions if (result := rejudge(s.student, settings)) is not None]
    else:
        results = grade_all(submissions, settings, workers or default_workers(settings))
    late, problems = {}, []
    if gradebook:
        problems = update_gradebook(settings, results)
        late = seconds_late(settings)
    console.print(summary_table(results, late))
    for problem in problems:
        console.print(f"[red]nbgrader could not record {problem}[/]\n[red]That student has zeros in the gradebook; "
                      "the kit's result is kept.[/]")
    console.print(f"Results: [bold]{settings.results_dir}[/] · autograded notebooks: "
                  f"[bold]{settings.course_folder('autograded')}[/]")
    write_reports(settings, results, console)
    return results


def write_reports(settings: Settings, results: list[Result], console: Console) -> None:
    """The class's grades (CSV), Gradescope results.json per student, the class report: from stored results."""
    reports = settings.course_root / "reports"
    reports.mkdir(exist_ok=True)
    write_gradescope(results, settings.results_dir)
    console.print(f"Grades (CSV):         [bold]{write_grades_csv(results, reports / 'grades.csv')}[/]")
    report = write_class_report(results, reports / "class_report.html", settings.results_dir)
    console.print(f"Class report:         [bold]{report}[/]")
    console.print(f"Gradescope:           [bold]{settings.results_dir}/<student>/gradescope_results.json[/]")


def grade_all(submissions, settings: Settings, workers: int) -> list[Result]:
    grading = prepare(settings, workers)
    with progress() as bar:
        task = bar.add_task("", total=len(submissions))
        return grade_class(submissions, grading, workers,
                           on_result=lambda result: bar.update(task, advance=1, description=result.student))
