"""Submissions from nbgrader's submitted/ layout (submissions/collect.py)."""

from autograder.settings import Settings
from autograder.submissions.collect import submitted


def test_a_student_folder_whose_name_would_be_markup_in_formgrader_is_left_out_and_named(tmp_path):
    for student in ("alice", "bob.smith-2", '<img src=x onerror="alert(1)">', "tab\there"):
        notebook = tmp_path / "submitted" / student / "mnist_ann" / "mnist_ann.ipynb"
        notebook.parent.mkdir(parents=True)
        notebook.write_text("{}")
    skipped = []
    found = submitted(Settings(course_root=tmp_path), skipped=skipped.append)
    assert [submission.student for submission in found] == ["alice", "bob.smith-2"]
    assert sorted(skipped) == ['<img src=x onerror="alert(1)">', "tab\there"]
