"""`make demo`: grade the bundled sample class in a throwaway course, end to end.

The demo course (demo/ beside the kit, never committed) gets copies of source/,
solutions/ and nbgrader_config.py, so an instructor's own course is not touched.
"""

from pathlib import Path

from rich.console import Console

from .grade_command import grade_command
from .mnist import find_mnist
from .release import copy_course, nbgrader, release
from .reports import write_class_report, write_gradescope, write_grades_csv
from .sandbox import Limits
from .settings import Settings

SAMPLE_CLASS = Path("tests") / "fixtures" / "sample_class"
DEMO_LIMITS = Limits(wall_seconds=90)  # one sample student loops forever; do not wait 15 minutes for it


def demo(settings: Settings, console: Console | None = None) -> Path:
    """Release, grade the sample class, write feedback and reports; return the demo course."""
    console = console or Console()
    course = settings.course_root / "demo"
    demo_settings = settings.model_copy(update={"course_root": course, "limits": DEMO_LIMITS})
    console.print(f"MNIST: [bold]{find_mnist(settings)}[/]")
    copy_course(settings, course)
    console.print(f"Released the student notebook to [bold]{release(demo_settings)}[/]")
    results = grade_command(demo_settings, settings.course_root / SAMPLE_CLASS, None, None, False, console=console)
    feedback(demo_settings)
    reports = course / "reports"
    reports.mkdir(exist_ok=True)
    write_gradescope(results, demo_settings.results_dir)
    console.print(f"Grades (CSV):         [bold]{write_grades_csv(results, reports / 'grades.csv')}[/]")
    console.print(f"Class report:         [bold]{write_class_report(results, reports / 'class_report.html', demo_settings.results_dir)}[/]")
    console.print(f"Feedback per student: [bold]{course / 'feedback'}[/]")
    console.print(f"Gradebook:            [bold]{course / 'gradebook.db'}[/] (nbgrader export / formgrader, run in {course})")
    return course


def feedback(settings: Settings) -> None:
    nbgrader(settings.course_root, "generate_feedback", settings.assignment, "--force")
