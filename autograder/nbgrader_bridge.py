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

from . import notebooks
from .grading import grade, stored_result
from .mnist import find_mnist
from .results import Result
from .run import training_split
from .settings import Settings


class GradeInSandbox(NbGraderPreprocessor):
    """Write each check cell's verdict as outputs nbgrader can score (never stderr)."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        info = resources["nbgrader"]
        root = Path(CourseDirectory(config=self.config).root)
        settings = Settings(course_root=root, assignment=info["assignment"])
        submitted = root / "submitted" / info["student"] / info["assignment"] / f"{info['notebook']}.ipynb"
        result = stored_result(submitted, info["student"], settings) or self.grade_now(submitted, info, settings)
        for cell in nb.cells:
            if notebooks.is_self_check(cell):
                cell.outputs = verdict(notebooks.grade_id(cell), result)
        return nb, resources

    @staticmethod
    def grade_now(submitted: Path, info: dict, settings: Settings) -> Result:
        mnist = find_mnist(settings)
        settings.results_dir.mkdir(parents=True, exist_ok=True)
        return grade(submitted, info["student"], settings, mnist, training_split(mnist, settings.results_dir),
                     notebooks.read(settings.release_notebook))


def verdict(cell_id: str, result: Result) -> list:
    """✔/✘ lines per check, then the score: an error output when it is zero, else a partial-credit value."""
    lines = [f"✘ {result.problem}"] if result.problem else []
    lines += [("✔ " if check.passed else "✘ ") + (check.message or check.check.replace("_", " ")[5:])
              for check in result.checks if check.cell == cell_id]
    score = result.cell_scores().get(cell_id, 0.0)
    if score == 0:
        return [new_output("error", ename="NotPassed", evalue="\n".join(lines) or "not checked", traceback=lines)]
    return [new_output("stream", name="stdout", text="\n".join(lines) + "\n"),
            new_output("execute_result", data={"text/plain": f"{score:g}"}, execution_count=None)]
