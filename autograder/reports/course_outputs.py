"""Every output of a grading, in one place, from stored results alone:

  reports/grades.csv, reports/class_report.html (+ its figures as PNG),
  feedback/<student>/<assignment>/results.html beside nbgrader's feedback notebook,
  results/<assignment>/<student>/gradescope_results.json.
"""

import json
from pathlib import Path

from ..authoring.expectations import EXPECTATIONS_FILE
from ..grading.result import Result
from ..settings import Settings
from .class_report import write_class_report
from .feedback_page import FEEDBACK_PAGE, write_feedback_page
from .gradescope import write_gradescope
from .grades_csv import write_grades_csv


def threshold(settings: Settings) -> float:
    return json.loads((settings.solutions_dir / EXPECTATIONS_FILE).read_text())["min_test_accuracy"]


def write_outputs(settings: Settings, results: list[Result], viva: dict[str, list[dict]] | None = None) -> dict[str, Path]:
    """Write them all; return where each kind went, for the console. `viva`: each student's hand-graded
    answers, [{"question", "score", "max", "comment"}], from the gradebook."""
    viva, reports, minimum = viva or {}, settings.course_root / "reports", threshold(settings)
    reports.mkdir(exist_ok=True)
    write_gradescope(results, settings.results_dir)
    feedback = settings.course_folder("feedback")
    for result in results:
        write_feedback_page(result, feedback / result.student / settings.assignment, minimum, viva.get(result.student))
    return {"Grades (CSV)": write_grades_csv(results, reports / "grades.csv"),
            "Class report": write_class_report(results, reports, minimum, viva),
            "Feedback": feedback / "<student>" / settings.assignment / FEEDBACK_PAGE,
            "Gradescope": settings.results_dir / "<student>" / "gradescope_results.json"}
