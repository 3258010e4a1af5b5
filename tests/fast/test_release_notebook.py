"""What students receive: no solutions, no hidden tests, nothing of the kit's own."""

import importlib.util
import json

import pytest

from autograder.course import notebooks
from autograder.reports.advice import GRADER_LIBRARIES


@pytest.fixture(scope="module")
def release_text(settings):
    return settings.release_notebook.read_text()


def test_release_has_none_of_the_solution_lines(settings):
    source, released = notebooks.read(settings.source_notebook), notebooks.read(settings.release_notebook)
    for cell in filter(notebooks.is_solution, source.cells):
        solution = cell.source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
        stub = notebooks.cell_by_id(released, notebooks.grade_id(cell)).source
        leaked = [line for line in solution.splitlines() if line.strip() and line.strip() in stub]
        assert leaked == [], f"cell {notebooks.grade_id(cell)} leaks its solution"


def test_release_has_no_model_answers_or_rubrics(release_text):
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


def test_students_are_told_the_libraries_the_grader_offers(settings):
    """The list a student's feedback names when an import fails is the one the notebook and README
    give, and each library on it is installed where the grader runs notebooks."""
    intro = notebooks.cell_by_id(notebooks.read(settings.release_notebook), "intro").source
    readme = (settings.course_root / "README.md").read_text()
    assert [text for text in (intro, readme) if GRADER_LIBRARIES not in " ".join(text.split())] == []
    modules = ("numpy", "pandas", "matplotlib", "seaborn", "sklearn", "keras", "tensorflow")
    assert [module for module in modules if importlib.util.find_spec(module) is None] == []


MACHINERY = ("setup", "spec", "self_check_tools")  # the kit's cells between the aim and step 1


def test_the_kits_cells_before_step_1_start_folded_under_a_title_in_jupyterlab_and_colab(settings):
    nb = notebooks.read(settings.release_notebook)
    for cell_id in MACHINERY:
        cell = notebooks.cell_by_id(nb, cell_id)
        assert cell.metadata["jupyter"]["source_hidden"] is True, cell_id  # JupyterLab, Notebook 7
        assert cell.metadata["cellView"] == "form" and cell.source.startswith("#@title "), cell_id  # Colab
        assert notebooks.nbgrader_meta(cell).get("locked"), cell_id


def test_every_self_check_is_folded_under_its_title_and_shows_only_its_message(settings):
    folded = [cell for cell in notebooks.read(settings.release_notebook).cells
              if {"self-check", "outcome-check"} & set(cell.metadata.get("tags", []))]
    assert len(folded) == 14
    for cell in folded:
        assert cell.metadata["jupyter"]["source_hidden"] is True and cell.metadata["cellView"] == "form"
        assert cell.source.startswith("#@title Self-check · "), notebooks.grade_id(cell)


def test_between_the_aim_and_step_1_there_are_only_the_folded_cells(settings):
    ids = [notebooks.grade_id(cell) for cell in notebooks.read(settings.release_notebook).cells]
    assert ids[ids.index("intro") + 1:ids.index("step1_intro")] == list(MACHINERY)


def test_no_cell_a_student_writes_in_is_folded(settings):
    for cell in notebooks.read(settings.release_notebook).cells:
        if notebooks.nbgrader_meta(cell).get("solution"):
            assert not cell.metadata.get("jupyter", {}).get("source_hidden"), notebooks.grade_id(cell)
            assert "cellView" not in cell.metadata, notebooks.grade_id(cell)


def test_what_a_student_should_read_about_the_folded_cells_is_in_markdown(settings):
    intro = notebooks.cell_by_id(notebooks.read(settings.release_notebook), "intro").source
    assert "folded away" in intro and "MNIST_PATH" in intro
