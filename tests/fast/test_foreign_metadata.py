"""A cell copied in from another notebook, with nbgrader metadata the release does not have,
costs the submission nothing and stops nobody's grading."""

import copy

import pytest
from nbformat.v4 import new_markdown_cell
from nbgrader.nbgraderformat import ValidationError
from nbgrader.preprocessors import CheckCellMetadata
from traitlets.config import Config

from autograder.course import notebooks
from autograder.gradebook.preprocessor import StripForeignMetadata


@pytest.fixture
def with_copied_cell(settings):
    nb = copy.deepcopy(notebooks.read(settings.release_notebook))
    cell = new_markdown_cell("an answer copied from last year's notebook")
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "q_from_elsewhere", "points": 2, "solution": True,
                                 "locked": False, "schema_version": 3, "task": False}
    nb.cells.insert(5, cell)
    duplicate = copy.deepcopy(notebooks.cell_by_id(nb, "normalize"))
    nb.cells.insert(8, duplicate)
    return nb


def test_nbgrader_alone_refuses_such_a_notebook(with_copied_cell):
    with pytest.raises(ValidationError):
        CheckCellMetadata().preprocess(copy.deepcopy(with_copied_cell), {})


def test_the_kits_first_sanitizing_step_lets_nbgrader_read_it(with_copied_cell, settings):
    config = Config({"CourseDirectory": {"root": str(settings.course_root)}})
    nb, _ = StripForeignMetadata(config=config).preprocess(with_copied_cell, {"nbgrader": {"assignment": "mnist_ann"}})
    CheckCellMetadata().preprocess(nb, {})
    assert [notebooks.grade_id(cell) for cell in nb.cells].count("normalize") == 1
    assert "q_from_elsewhere" not in [notebooks.grade_id(cell) for cell in nb.cells]
