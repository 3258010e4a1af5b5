"""`make demo`: grade the bundled sample class in a throwaway course, end to end.

The demo course (demo/ beside the kit, never committed) gets copies of source/,
solutions/ and nbgrader_config.py, so an instructor's own course is not touched.
"""

from pathlib import Path

from rich.console import Console

from ..authoring.release import release
from ..course.nbgrader_commands import copy_course
from ..data.mnist import find_mnist
from ..settings import Limits, Settings
from .grade import grade_command

SAMPLE_CLASS = Path("tests") / "fixtures" / "sample_class"
DEMO_LIMITS = Limits(wall_seconds=90)  # one sample student loops forever; do not wait 15 minutes for it


def demo(settings: Settings, console: Console | None = None) -> Path:
    """Release, grade the sample class, write feedback and reports; return the demo course."""
    console = console or Console()
    course = settings.course_root / "demo"
    mnist = find_mnist(settings)
    console.print(f"MNIST: [bold]{mnist}[/]")
    # The sample class is the kit's own: it may be graded on a machine without the sandbox's defences.
    demo_settings = settings.model_copy(update={"course_root": course, "limits": DEMO_LIMITS, "unsafe_no_sandbox": True,
                                                "mnist_path": mnist})
    copy_course(settings, course)
    console.print(f"Released the student notebook to [bold]{release(demo_settings)}[/]")
    grade_command(demo_settings, source=settings.course_root / SAMPLE_CLASS, console=console)
    console.print(f"{'Gradebook:':22}[bold]{course / 'gradebook.db'}[/] (nbgrader export / formgrader, run in {course})")
    return course
