"""`make demo`: grade the bundled sample class in a throwaway course, end to end.

The demo course (demo/ beside the kit, never committed) gets copies of source/,
solutions/ and nbgrader_config.py, so an instructor's own course is not touched.
"""

import shutil
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from .errors import KitError
from .grade_command import grade_command
from .mnist import find_mnist
from .release import release, with_venv_on_path
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
    fresh_course(settings, course)
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


def fresh_course(settings: Settings, course: Path) -> None:
    shutil.rmtree(course, ignore_errors=True)
    for folder in ("source", "solutions"):
        shutil.copytree(settings.course_root / folder, course / folder)
    shutil.copy(settings.course_root / "nbgrader_config.py", course)


def feedback(settings: Settings) -> None:
    done = subprocess.run([sys.executable, "-m", "nbgrader", "generate_feedback", settings.assignment, "--force",
                           "--log-level=WARN", f"--CourseDirectory.root={settings.course_root}"],
                          cwd=settings.course_root, capture_output=True, text=True, env=with_venv_on_path())
    if done.returncode != 0:
        raise KitError(f"nbgrader generate_feedback failed: {done.stderr.strip()[-1500:]}")
