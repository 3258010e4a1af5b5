"""What students receive: no solutions, no hidden tests, nothing of the kit's own."""

import json

import pytest

from autograder import notebooks


@pytest.fixture(scope="module")
def release_text(settings):
    return settings.release_notebook.read_text()


def test_release_has_no_solution_code_or_model_answers(release_text, settings):
    reference = (settings.solutions_dir / "reference.py").read_text()
    assert "BEGIN SOLUTION" not in release_text
    assert "/ 255.0" in reference and "/ 255.0" not in release_text
    assert "Model answer" not in release_text and "Rubric" not in release_text


def test_release_has_no_hidden_tests(release_text):
    assert "HIDDEN TESTS" not in release_text
    assert "random batch of images" not in release_text


def test_release_does_not_import_the_kit(settings):
    nb = notebooks.read(settings.release_notebook)
    code = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "code")
    assert "autograder" not in code.replace("python -m autograder derive", "")


def test_every_step_function_is_stubbed_for_the_student(settings):
    nb = notebooks.read(settings.release_notebook)
    stubs = [notebooks.grade_id(cell) for cell in nb.cells
             if notebooks.is_solution(cell) and "raise NotImplementedError()" in cell.source]
    assert stubs == ["normalize", "flatten", "one_hot", "build_model", "label_encoding", "compile_model",
                     "train_model", "evaluate_model", "plot_history", "confusion_matrix", "softmax", "split_sizes"]


def test_viva_answers_are_manually_graded(settings):
    nb = notebooks.read(settings.release_notebook)
    answers = [cell for cell in nb.cells if (notebooks.grade_id(cell) or "").startswith("answer_")]
    assert len(answers) == 5
    assert all(cell.cell_type == "markdown" and notebooks.nbgrader_meta(cell)["grade"] for cell in answers)
    assert all(cell.source == "YOUR ANSWER HERE" for cell in answers)


def test_release_is_valid_nbformat_4(settings):
    nb = json.loads(settings.release_notebook.read_text())
    assert nb["nbformat"] == 4
