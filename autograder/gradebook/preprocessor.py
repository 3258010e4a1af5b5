"""nbgrader's autograde with the sandboxed pipeline in place of its Execute step.

nbgrader_config.py puts GradeInSandbox first in Autograde.autograde_preprocessors,
so `nbgrader autograde` and `python -m autograder grade` share one path: this
submission's result (stored, or graded now) becomes each check cell's output,
and nbgrader's own SaveAutoGrades turns those outputs into gradebook scores.
"""

from pathlib import Path

from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor

from ..course import notebooks
from ..grading.class_grading import prepare
from ..grading.result import Result
from ..grading.submission import grade, stored_result
from ..settings import Settings
from ..submissions.inert_text import make_inert
from ..submissions.intake import strip_foreign_metadata
from .run_outputs import show_run_outputs


class GradeInSandbox(NbGraderPreprocessor):
    """Write each check cell's verdict as outputs nbgrader can score (never stderr), and make the
    student's Markdown and raw cells inert (submissions/inert_text.py): the autograded notebook is
    what formgrader and nbgrader's feedback render, and they would run any HTML left in it. Done
    here, the one step every kit course's nbgrader_config.py has, not in a step of its own."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        info = resources["nbgrader"]
        root = Path(CourseDirectory(config=self.config).root)
        settings = Settings(course_root=root, assignment=info["assignment"])
        submitted = settings.course_path("submitted", info["student"]) / f"{info['notebook']}.ipynb"
        result = (stored_result(submitted, settings.results_dir / info["student"])
                  or grade(submitted, info["student"], prepare(settings)))
        make_inert(nb)
        for cell in nb.cells:
            if notebooks.is_self_check(cell):
                cell.outputs = verdict(notebooks.grade_id(cell), result)
        show_run_outputs(nb, settings.results_dir / info["student"] / "run", result)
        return nb, resources


class StripForeignMetadata(NbGraderPreprocessor):
    """Before nbgrader's own sanitizing: drop nbgrader metadata the release does not give a cell
    (copied from another notebook), which would make nbgrader refuse the whole submission."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        root = Path(CourseDirectory(config=self.config).root)
        settings = Settings(course_root=root, assignment=resources["nbgrader"]["assignment"])
        strip_foreign_metadata(nb, notebooks.read(settings.release_notebook))
        return nb, resources


def verdict(cell_id: str, result: Result) -> list:
    """✔/✘ lines per check: an error output when the cell scores nothing; nbgrader's partial-credit
    value (an execute_result) only when it scores part of its points (full marks need none)."""
    lines = [f"✘ {result.problem}"] if result.problem else []
    lines += [("✔ " if check.passed else "✘ ") + (check.message or check.display_name)
              for check in result.checks if check.cell == cell_id]
    score, maximum = result.cell_scores().get(cell_id, 0.0), result.cell_points.get(cell_id, 0.0)
    if score == 0:
        return [new_output("error", ename="NotPassed", evalue="\n".join(lines) or "not checked", traceback=lines)]
    if score >= maximum:
        return [new_output("stream", name="stdout", text="\n".join(lines) + "\n")]
    lines.append(f"{score:g} of {maximum:g} points:")
    return [new_output("stream", name="stdout", text="\n".join(lines) + "\n"),
            new_output("execute_result", data={"text/plain": f"{score:g}"}, execution_count=None)]
