"""`python -m autograder grade`: grade the class, update the gradebook, print the summary."""

from pathlib import Path

from rich.console import Console

from . import batch
from .errors import KitError
from .grading import rejudge
from .gradebook import seconds_late, update_gradebook
from .mnist import find_mnist
from .results import Result
from .sandbox import defences
from .settings import Settings
from .summary import progress, summary_table


def grade_command(settings: Settings, source: Path | None, student: str | None, workers: int | None,
                  rejudge_only: bool, gradebook: bool = True, console: Console | None = None) -> list[Result]:
    console = console or Console()
    missing = [name for name, available in defences().items() if not available]
    if missing and not rejudge_only:
        console.print(f"[yellow]This machine lacks {', '.join(missing)} (root and Linux namespaces/cgroups): "
                      "student code runs with the remaining defences only.[/]")
    submissions = batch.import_loose(source, settings) if source else batch.submitted(settings)
    if student:
        submissions = [s for s in submissions if s.student == student]
        if not submissions:
            raise KitError(f"No submission from {student!r}: check the name under submitted/")
    if rejudge_only:
        results = [result for s in submissions if (result := rejudge(s.student, settings)) is not None]
    else:
        results = grade_all(submissions, settings, workers or batch.default_workers(settings), console)
    late = {}
    if gradebook:
        update_gradebook(settings, results)
        late = seconds_late(settings)
    console.print(summary_table(results, late))
    console.print(f"Results: [bold]{settings.results_dir}[/] · autograded notebooks: "
                  f"[bold]{settings.course_root / 'autograded'}[/]")
    return results


def grade_all(submissions, settings: Settings, workers: int, console: Console) -> list[Result]:
    mnist = find_mnist(settings)
    with progress() as bar:
        task = bar.add_task("", total=len(submissions))
        return batch.grade_class(submissions, settings, mnist, workers,
                                 on_result=lambda result: bar.update(task, advance=1, description=result.student))
