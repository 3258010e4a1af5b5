"""`make demo`: find MNIST, release the assignment, run the reference solution, report."""

import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from . import notebooks
from .execute import execute
from .mnist import find_mnist
from .release import release
from .self_checks import self_check_outcomes, test_accuracy
from .settings import Settings


def demo(settings: Settings, console: Console | None = None) -> Path:
    """Run what the kit can do end to end; return the executed reference notebook's path."""
    console = console or Console()
    mnist = find_mnist(settings)
    console.print(f"MNIST: [bold]{mnist}[/]")
    console.print(f"Released the student notebook to [bold]{release(settings)}[/]")
    console.print("Running the reference solution in a fresh kernel (about a minute)…")
    executed = notebooks.read(settings.solutions_dir / f"{settings.assignment}.ipynb")
    with tempfile.TemporaryDirectory() as workdir:
        execute(executed, Path(workdir), {"MNIST_PATH": str(mnist)}, settings.notebook_timeout)
    written = settings.course_root / "reports" / "reference" / f"{settings.assignment}.ipynb"
    notebooks.write(executed, written)
    console.print(outcome_table(executed))
    console.print(test_accuracy(executed) or "[red]The reference did not reach its evaluation.[/]")
    console.print(f"Executed reference notebook: [bold]{written}[/]")
    return written


def outcome_table(executed) -> Table:
    table = Table("self-check", "result", title="Reference solution, public self-checks")
    for outcome in self_check_outcomes(executed).values():
        table.add_row(outcome.grade_id, f"[green]{outcome.message}" if outcome.passed else f"[red]✘ {outcome.message}")
    return table
