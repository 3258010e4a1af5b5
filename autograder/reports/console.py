"""What the instructor sees at the console: progress while grading, a table at the end."""

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..grading.result import Result


def progress() -> Progress:
    return Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TextColumn("{task.description}"))


def summary_table(results: list[Result], late: dict[str, float] | None = None) -> Table:
    table = Table("student", "score", "failed checks", "time", "limits / problems", title="Class results")
    for result in results:
        failed = sorted({check.cell.removeprefix("check_") for check in result.failed if check.cell})
        trouble = ([result.problem.split(" (")[0]] if result.problem else []) + result.limits_hit
        if result.run_finished is False and not trouble:
            trouble.append(f"the notebook stopped early (exit code {result.exit_code})")
        if (late or {}).get(result.student, 0) > 0:
            trouble.append(f"late by {late[result.student]:.0f} s")
        table.add_row(result.student, f"{result.score:g} / {result.max_score:g}", ", ".join(failed) or "—",
                      f"{sum(result.seconds.values()):.0f} s", "; ".join(trouble) or "—")
    return table
