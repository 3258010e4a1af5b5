"""Loose files from an LMS become nbgrader submissions, one student a file, nothing lost or mixed up."""

import zipfile
from pathlib import Path
from datetime import datetime, timezone

import pytest

from autograder.errors import KitError
from autograder.settings import Settings
from autograder.submissions.lms_import import import_loose


def imported_zip(tmp_path, *members: str | zipfile.ZipInfo, skipped=lambda name: None):
    """import_loose of a zip holding `members` (each an empty notebook) into a course at tmp_path."""
    bundle = tmp_path / "export.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        for member in members:
            archive.writestr(member, "{}")
    return import_loose(bundle, Settings(course_root=tmp_path), skipped)


def test_loose_files_from_an_lms_are_imported_under_their_file_names(tmp_path):
    imported = imported_zip(tmp_path, "Eve Smith.ipynb", "../../escape/frank.ipynb")
    assert sorted(s.student for s in imported) == ["Eve_Smith", "frank"]
    assert all(s.path.is_file() for s in imported)
    assert not list(tmp_path.parent.rglob("escape"))  # the "../../" member was written by its base name only


def test_two_files_that_would_be_one_student_are_refused(tmp_path):
    with pytest.raises(KitError, match="would be graded as the same student.*Eve_Smith"):
        imported_zip(tmp_path, "Eve Smith.ipynb", "Eve_Smith.ipynb")
    assert not (tmp_path / "submitted").exists()


def test_a_zipped_submission_keeps_its_own_time_for_lateness(tmp_path):
    (submission,) = imported_zip(tmp_path, zipfile.ZipInfo("ann.ipynb", date_time=(2026, 3, 1, 9, 30, 0)))
    stamp = (submission.path.parent / "timestamp.txt").read_text()
    local = datetime(2026, 3, 1, 9, 30).astimezone(timezone.utc)
    assert stamp.startswith(local.strftime("%Y-%m-%d %H:%M:%S"))


def test_a_missing_folder_says_what_to_give(tmp_path):
    with pytest.raises(KitError, match="does not exist: give a folder or a .zip"):
        import_loose(tmp_path / "nowhere", Settings(course_root=tmp_path))


def test_a_zip_made_on_a_mac_is_read_without_its_resource_forks(tmp_path):
    imported = imported_zip(tmp_path, "ann.ipynb", "__MACOSX/._ann.ipynb", "._ann.ipynb")
    assert [s.student for s in imported] == ["ann"]


def test_only_notebooks_become_students_and_the_other_files_are_named(tmp_path):
    named = []
    imported = imported_zip(tmp_path, "ann.ipynb", "lab/notes.txt", "__MACOSX/._ann.ipynb", skipped=named.append)
    assert [s.student for s in imported] == ["ann"]
    assert named == ["notes.txt"]


def test_a_zip_without_notebooks_says_what_it_holds(tmp_path):
    with pytest.raises(KitError, match=r"no notebook \(.ipynb\) to grade; it holds notes.txt"):
        imported_zip(tmp_path, "notes.txt")


@pytest.mark.parametrize("name, student", [("smithjane_123456_7890123_Lab_2_MNIST_1.ipynb", "smithjane"),
                                           ("smithjane_LATE_123456_7890123_mnist_ann.ipynb", "smithjane"),
                                           ("Jane Smith_1234567_assignsubmission_file_mnist_ann.ipynb", "Jane_Smith"),
                                           ("ann_v2.ipynb", "ann_v2")])
def test_the_student_is_read_from_an_lms_file_name(name, student):
    from autograder.submissions.lms_import import student_id

    assert student_id(Path(name)) == student
