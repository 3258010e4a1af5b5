"""The viva questions as the source notebook defines them, once: each question's prompt (the locked
cell above the answer), its model answer and its rubric (the answer cell's solution), and the rubric
turned into items a grader ticks.

A rubric of the practical's shape, "2 points: A **and** B. 1 point: ... 0: otherwise.", gives one
item per criterion joined by **and**, the points shared equally; any other rubric gives one item
worth the question's points. The grader may always enter another score by hand.
"""

import re
from dataclasses import dataclass

from nbformat import NotebookNode

from ..course import notebooks

ANSWER_ID = re.compile(r"^answer_q(\d+)$")
MODEL = re.compile(r"\*\*Model answer\.\*\*(.*?)(?=\*\*Rubric\.\*\*|$)", re.S)
RUBRIC = re.compile(r"\*\*Rubric\.\*\*(.*)$", re.S)
TOP_CRITERION = re.compile(r"^\s*(\d+) points?:\s*(.+?)(?:\.\s+\d+ points?:|\.\s+0:|\.?\s*$)", re.S)
SOLUTION_MARK = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$", re.M)


@dataclass(frozen=True)
class Item:
    text: str
    points: float


@dataclass(frozen=True)
class Question:
    grade_id: str  # the answer cell's nbgrader id, where its grade and comment are kept
    number: int
    prompt: str
    model_answer: str
    rubric: str
    points: float
    items: tuple[Item, ...]


def viva_questions(source: NotebookNode) -> list[Question]:
    """Every hand-graded Markdown answer of the source notebook, in order."""
    questions = []
    for index, cell in enumerate(source.cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        found = ANSWER_ID.match(grade_id)
        if cell.cell_type != "markdown" or not found or not notebooks.is_solution(cell):
            continue
        solution = SOLUTION_MARK.sub("", cell.source).strip()
        model, rubric = MODEL.search(solution), RUBRIC.search(solution)
        points = float(cell.metadata["nbgrader"].get("points", 0))
        rubric_text = rubric.group(1).strip() if rubric else ""
        questions.append(Question(
            grade_id=grade_id, number=int(found.group(1)), prompt=prompt_above(source, index),
            model_answer=(model.group(1) if model else solution).strip(), rubric=rubric_text, points=points,
            items=rubric_items(rubric_text, points)))
    return questions


def prompt_above(source: NotebookNode, index: int) -> str:
    """The question as the student read it: the Markdown cell above its answer, without its `**Qn.**`."""
    above = source.cells[index - 1] if index else None
    text = above.source if above is not None and above.cell_type == "markdown" else ""
    return re.sub(r"^\s*\*\*Q\d+\.\*\*\s*", "", text).strip()


def rubric_items(rubric: str, points: float) -> tuple[Item, ...]:
    top = TOP_CRITERION.match(rubric)
    if top and float(top.group(1)) == points:
        parts = [part.strip(" .") for part in re.split(r"\*\*and\*\*", top.group(2)) if part.strip(" .")]
        if len(parts) > 1:
            return tuple(Item(part, points / len(parts)) for part in parts)
    return (Item(rubric or "meets the model answer", points),)
