"""Before anything of a submission runs, its locked and check cells are put back as released."""

import copy

import pytest

from autograder.course import notebooks
from autograder.submissions.intake import NotANotebook, read_submission, restore_protected_cells


@pytest.fixture(scope="module")
def release(settings):
    return notebooks.read(settings.release_notebook)


def test_an_untouched_release_is_taken_as_it_is(release):
    intake = restore_protected_cells(release, release)
    assert intake.altered == [] and intake.notebook == release


def test_an_edited_check_cell_is_restored_and_named(release):
    tampered = copy.deepcopy(release)
    notebooks.cell_by_id(tampered, "check_normalize").source = "pass"
    intake = restore_protected_cells(tampered, release)
    assert intake.altered == ["check_normalize"]
    assert notebooks.cell_by_id(intake.notebook, "check_normalize").source == \
        notebooks.cell_by_id(release, "check_normalize").source


def test_a_deleted_locked_cell_is_put_back_in_its_place(release):
    tampered = copy.deepcopy(release)
    position = next(i for i, cell in enumerate(tampered.cells) if notebooks.grade_id(cell) == "check_flatten")
    del tampered.cells[position]
    intake = restore_protected_cells(tampered, release)
    assert intake.altered == ["check_flatten"]
    assert notebooks.grade_id(intake.notebook.cells[position]) == "check_flatten"


def test_the_students_own_cells_stay_as_they_are(release):
    answered = copy.deepcopy(release)
    notebooks.cell_by_id(answered, "normalize").source = "def normalize(images):\n    return images / 255.0"
    answered.cells.insert(3, copy.deepcopy(answered.cells[3]))
    answered.cells[3].metadata = {}
    answered.cells[3].source = "print('my scratch cell')"
    intake = restore_protected_cells(answered, release)
    assert intake.altered == [] and intake.notebook == answered


def test_a_file_that_is_not_a_notebook_says_what_to_submit(tmp_path):
    path = tmp_path / "essay.ipynb"
    path.write_text("I could not upload my notebook")
    with pytest.raises(NotANotebook, match="is not a valid Jupyter notebook.*submit the .ipynb file"):
        read_submission(path)
