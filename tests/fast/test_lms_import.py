"""Loose files from an LMS become nbgrader submissions, one student a file, nothing lost or mixed up."""

import zipfile
from pathlib import Path
from datetime import datetime, timezone

import pytest

from autograder.errors import KitError
from autograder.settings import Settings
from autograder.submissions.lms_import import import_loose, unzip


def imported_zip(tmp_path, *members: str | zipfile.ZipInfo, skipped=lambda names: None):
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
    imported = imported_zip(tmp_path, "ann.ipynb", "lab/notes.txt", "__MACOSX/._ann.ipynb", skipped=named.extend)
    assert [s.student for s in imported] == ["ann"]
    assert named == ["lab/notes.txt"]


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


def bomb(archive: zipfile.ZipFile, name: str, size: int) -> zipfile.ZipInfo:
    """A member of `size` zero bytes, deflated (a thousandth of that in the zip), written in chunks."""
    member = zipfile.ZipInfo(name)
    member.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(member, "w", force_zip64=size > zipfile.ZIP64_LIMIT) as sink:
        for _ in range(size // (1 << 20)):
            sink.write(bytes(1 << 20))
    return member


def small_limits(tmp_path, notebook_bytes: int = 1 << 20, upload_bytes: int = 1 << 30) -> Settings:
    limits = Settings().limits.model_copy(update={"notebook_bytes": notebook_bytes, "upload_bytes": upload_bytes})
    return Settings(course_root=tmp_path, limits=limits)


def test_a_deflate_bomb_is_cut_one_byte_past_the_notebook_limit_and_the_others_come_in_whole(tmp_path):
    bundle = tmp_path / "export.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        bomb(archive, "mallory.ipynb", 64 << 20)
        archive.writestr("ann.ipynb", "{}")
    imported = {s.student: s.path for s in import_loose(bundle, small_limits(tmp_path))}
    assert imported["mallory"].stat().st_size == (1 << 20) + 1
    assert imported["ann"].read_text() == "{}"


def test_a_member_that_declares_a_small_size_brings_in_no_more_than_it_declared(tmp_path):
    bundle = tmp_path / "export.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        liar = bomb(archive, "mallory.ipynb", 64 << 20)
        archive.writestr("ann.ipynb", "{}")
        liar.file_size = 1000  # the central directory, written on close, now says 1,000 bytes
    imported = {s.student: s.path for s in import_loose(bundle, small_limits(tmp_path))}
    assert imported["mallory"].stat().st_size <= 1000
    assert imported["ann"].read_text() == "{}"


def test_files_that_are_not_notebooks_are_never_extracted_and_are_named_once(tmp_path):
    bundle, named = tmp_path / "export.zip", []
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.writestr("ann.ipynb", "{}")
        for index in range(2000):
            archive.writestr(f"Mallory_123456_assignsubmission_file_junk{index}.txt", "x")
    imported = import_loose(bundle, Settings(course_root=tmp_path), named.append)
    assert [s.student for s in imported] == ["ann"] and len(named) == 1 and len(named[0]) == 2000
    (tmp_path / "into").mkdir()
    unzip(bundle, tmp_path / "into", Settings().limits)
    assert [path.name for path in (tmp_path / "into").iterdir()] == ["ann.ipynb"]


def test_notebooks_adding_up_to_more_than_one_upload_may_bring_in_are_refused_whole(tmp_path):
    bundle = tmp_path / "export.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        for student in ("ann", "bo", "cy"):
            bomb(archive, f"{student}.ipynb", 2 << 20)
    with pytest.raises(KitError, match=r"add up to more than 3,000,000 bytes.*Limits.upload_bytes"):
        import_loose(bundle, small_limits(tmp_path, upload_bytes=3_000_000))


def test_a_folder_of_notebooks_is_copied_cut_at_the_limit_too(tmp_path):
    loose = tmp_path / "loose"
    loose.mkdir()
    with (loose / "mallory.ipynb").open("wb") as huge:
        huge.truncate(1 << 31)  # 2 GiB, sparse: nothing on disk, and nothing read
    (loose / "ann.ipynb").write_text("{}")
    imported = {s.student: s.path for s in import_loose(loose, small_limits(tmp_path / "course"))}
    assert imported["mallory"].stat().st_size == (1 << 20) + 1 and imported["ann"].read_text() == "{}"
