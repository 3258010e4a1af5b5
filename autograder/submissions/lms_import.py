"""Loose files from an LMS (a folder or a zip, one file per student, named for the student),
imported into nbgrader's submitted/ layout so that both ways grade alike."""

import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from ..errors import KitError
from ..settings import Settings
from .collect import Submission, submission_of


def import_loose(source: Path, settings: Settings, skipped: Callable[[str], None] = lambda name: None) -> list[Submission]:
    """Copy a folder or zip of notebooks (one per student, named for the student) into submitted/;
    each other file a student could have meant is passed to `skipped`, by name."""
    if not source.exists():
        raise KitError(f"{source} does not exist: give a folder or a .zip of the students' notebooks")
    with tempfile.TemporaryDirectory() as scratch:
        folder = unzip(source, Path(scratch)) if source.is_file() else source
        files = sorted(path for path in folder.rglob("*") if path.is_file() and not hidden(path))
        notebooks = [path for path in files if path.suffix.lower() == ".ipynb"]
        if not notebooks:
            raise KitError(f"{source} holds no notebook (.ipynb) to grade"
                           + (f"; it holds {', '.join(path.name for path in files[:5])}" if files else ""))
        for path in files:
            if path not in notebooks:
                skipped(str(path.relative_to(folder)))
        files = notebooks
        refuse_shared_ids(files)
        imported = []
        for path in files:
            student = student_id(path)
            submission = submission_of(settings, student)
            submission.path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, submission.path)
            stamp = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
            (submission.path.parent / "timestamp.txt").write_text(stamp.strftime("%Y-%m-%d %H:%M:%S.%f %Z"))
            imported.append(submission)
    return imported


def hidden(path: Path) -> bool:
    """A file no student handed in: dot files, and the `._name` twins and `__MACOSX/` folder of a Mac's zips."""
    return path.name.startswith(".") or "__MACOSX" in path.parts


def refuse_shared_ids(files: list[Path]) -> None:
    """Two files that would grade as the same student: stop before either overwrites the other."""
    owners: dict[str, list[str]] = {}
    for path in files:
        owners.setdefault(student_id(path), []).append(path.name)
    shared = {student: names for student, names in owners.items() if len(names) > 1}
    if shared:
        listing = "; ".join(f"{', '.join(names)} -> {student}" for student, names in shared.items())
        raise KitError(f"These files would be graded as the same student: {listing}. Rename them so that "
                       "each student's file name is unique, then run the command again.")


def unzip(archive: Path, into: Path) -> Path:
    """Extract by base name only, so no member can write outside `into`; keep each member's
    own time, from which the submission's timestamp (and lateness) is taken."""
    try:
        with zipfile.ZipFile(archive) as bundle:
            members = [member for member in bundle.infolist()
                       if not member.is_dir() and not hidden(Path(member.filename))]
            names = [Path(member.filename).name for member in members]
            refuse_shared_ids([Path(name) for name in names])
            for member, name in zip(members, names):
                (into / name).write_bytes(bundle.read(member))
                stamp = datetime(*member.date_time).timestamp()
                os.utime(into / name, (stamp, stamp))
    except zipfile.BadZipFile:
        raise KitError(f"{archive} is not a zip file: give a folder or a .zip of notebooks") from None
    return into


# An LMS prefixes each file with the student: Canvas "smithjane_LATE_123456_7890123_Lab_2.ipynb",
# Moodle "Jane Smith_1234567_assignsubmission_file_mnist_ann.ipynb".
LMS_NAME = re.compile(r"^(?P<student>.+?)_(?:LATE_)?\d{3,}_")


def student_id(path: Path) -> str:
    """The student an LMS named the file for (else the file name), reduced to characters safe in a path."""
    found = LMS_NAME.match(path.stem)
    name = found["student"] if found else path.stem
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("._") or "unnamed"
