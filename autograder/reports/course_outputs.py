"""Every output of a grading, in one place, from stored results alone:

  reports/grades.csv, reports/class_report.html (+ its figures as PNG),
  results/<assignment>/<student>/results.html, published to feedback/<student>/<assignment>/ beside
  nbgrader's feedback notebook, and results/<assignment>/<student>/gradescope_results.json.
"""

import json
from pathlib import Path

from ..authoring.expectations import EXPECTATIONS_FILE
from ..course.files import write_text_atomically
from ..grading.result import Result
from ..settings import Settings
from .class_report import write_class_report
from .feedback_page import FEEDBACK_PAGE, write_feedback_page
from .gradescope import write_gradescope
from .grades_csv import write_grades_csv


def threshold(settings: Settings) -> float:
    return json.loads((settings.solutions_dir / EXPECTATIONS_FILE).read_text())["min_test_accuracy"]


def write_outputs(settings: Settings, results: list[Result], viva: dict[str, list[dict]] | None = None) -> dict[str, Path]:
    """Write them all, each student's page beside their result (publish_feedback_pages puts it where
    students get it); return where each kind went, for the console. `viva`: each student's hand-graded
    answers, [{"question", "score", "max", "comment"}], from the gradebook."""
    viva, reports, minimum = viva or {}, settings.course_root / "reports", threshold(settings)
    reports.mkdir(exist_ok=True)
    write_gradescope(results, settings.results_dir)
    for result in results:
        write_feedback_page(result, settings.results_dir / result.student, minimum, viva.get(result.student))
    return {"Grades (CSV)": write_grades_csv(results, reports / "grades.csv"),
            "Class report": write_class_report(results, reports, minimum, viva),
            "Gradescope": settings.results_dir / "<student>" / "gradescope_results.json"}


def publish_feedback_pages(settings: Settings, results: list[Result]) -> dict[str, Path]:
    """Each student's page into feedback/<student>/<assignment>/, beside nbgrader's feedback notebook, so
    that `nbgrader release_feedback` sends both. Called after nbgrader's generate_feedback, which empties
    that folder first: the kit draws its pages meanwhile, in its own place."""
    feedback = settings.course_folder("feedback")
    for result in results:
        page = settings.results_dir / result.student / FEEDBACK_PAGE
        published = feedback / result.student / settings.assignment / FEEDBACK_PAGE
        if page.is_file() and not (published.is_file() and published.read_bytes() == page.read_bytes()):
            published.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomically(published, page.read_text())
    return {"Feedback": feedback / "<student>" / settings.assignment / FEEDBACK_PAGE}
