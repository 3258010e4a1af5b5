"""grades.csv: a row per student (its status first), a column per graded cell.

An LMS imports it back by its `student` column (the id students submitted under)
and `score`; see README, "Grades back into the LMS"."""

import csv
from pathlib import Path

from ..grading.result import Result


def write_grades_csv(results: list[Result], path: Path) -> Path:
    cells = sorted({cell for result in results for cell in result.cell_points})
    with open(path, "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["student", "status", "score", "max_score", *cells, "problem", "limits_hit"])
        for result in results:
            scores = result.cell_scores()
            writer.writerow([result.student, result.status, f"{result.score:g}", f"{result.max_score:g}",
                             *(f"{scores.get(cell, 0):g}" for cell in cells), result.problem or "",
                             "; ".join(result.limits_hit)])
    return path
