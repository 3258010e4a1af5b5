"""Loose files from an LMS (a folder or a zip, one file per student, named for the student),
imported into nbgrader's submitted/ layout so that both ways grade alike."""

import os
import re
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from ..errors import KitError
from ..settings import Limits, Settings
from .collect import Submission, submission_of
from .intake import copy_capped


def import_loose(source: Path, settings: Settings,
                 skipped: Callable[[list[str]], None] = lambda names: None) -> list[Submission]:
    """Copy a folder or zip of notebooks (one per student, named for the student) into submitted/,
    each notebook only up to one byte past the notebook limit (the grader then records it as too large);
    the other files a student could have meant are passed to `skipped`, by name, and never copied."""
    if not source.exists():
        raise KitError(f"{source} does not exist: give a folder or a .zip of the students' notebooks")
    limits = settings.limits
    with tempfile.TemporaryDirectory() as scratch:
        folder, others = unzip(source, Path(scratch), limits) if source.is_file() else in_folder(source, limits)
        notebooks = sorted(path for path in folder.rglob("*")
                           if path.is_file() and not hidden(path) and is_notebook(path.name))
        if not notebooks:
            raise KitError(f"{source} holds no notebook (.ipynb) to grade"
                           + (f"; it holds {', '.join(others[:5])}" if others else ""))
        if others:
            skipped(others)
        refuse_shared_ids(notebooks)
        imported = []
        for path in notebooks:
            submission = submission_of(settings, student_id(path))
            submission.path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("rb") as handed_in:
                copy_capped(handed_in, submission.path, limits.notebook_bytes)
            stamp = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
            (submission.path.parent / "timestamp.txt").write_text(stamp.strftime("%Y-%m-%d %H:%M:%S.%f %Z"))
            imported.append(submission)
    return imported


def is_notebook(name: str) -> bool:
    return name.lower().endswith(".ipynb") and not hidden(Path(name))


def in_folder(source: Path, limits: Limits) -> tuple[Path, list[str]]:
    """A folder of loose files: the names of those that are not notebooks; refused whole if its notebooks,
    each counted up to the notebook limit, add up to more than one upload may bring in."""
    files = [path for path in source.rglob("*") if path.is_file() and not hidden(path)]
    total = sum(min(path.stat().st_size, limits.notebook_bytes + 1) for path in files if is_notebook(path.name))
    if total > limits.upload_bytes:
        raise too_much(source, limits)
    return source, sorted(str(path.relative_to(source)) for path in files if not is_notebook(path.name))


def too_much(source: Path, limits: Limits) -> KitError:
    return KitError(f"The notebooks in {source} add up to more than {limits.upload_bytes:,} bytes, more than one "
                    "class's upload may bring in (Limits.upload_bytes): nothing was imported. Check that it is the "
                    "class's download, or grade it in parts.")


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
        listing = "; ".join(f"{', '.join(names[:3])}{f' and {len(names) - 3:,} more' if len(names) > 3 else ''} "
                            f"-> {student}" for student, names in list(shared.items())[:5])
        listing += f"; and {len(shared) - 5:,} more students" if len(shared) > 5 else ""
        raise KitError(f"These files would be graded as the same student: {listing}. Rename them so that "
                       "each student's file name is unique, then run the command again.")


def unzip(archive: Path, into: Path, limits: Limits) -> tuple[Path, list[str]]:
    """Extract the notebooks alone, by base name only (no member can write outside `into`), each
    streamed and cut one byte past the notebook limit whatever size it declares, each keeping its own
    time (the submission's timestamp, and lateness, come from it). Returns `into` and the names of
    the members that are not notebooks, which are never extracted."""
    try:
        with zipfile.ZipFile(archive) as bundle:
            members = [member for member in bundle.infolist() if not member.is_dir() and not hidden(Path(member.filename))]
            notebooks = [member for member in members if is_notebook(member.filename)]
            refuse_shared_ids([Path(member.filename) for member in notebooks])
            total = 0
            for member in notebooks:
                target = into / Path(member.filename).name
                total += extract_capped(bundle, member, target, limits.notebook_bytes)
                if total > limits.upload_bytes:
                    raise too_much(archive, limits)
                stamp = datetime(*member.date_time).timestamp()
                os.utime(target, (stamp, stamp))
    except zipfile.BadZipFile as error:
        raise KitError(f"{archive} is not a zip file that can be read ({error}): give a folder or a .zip of "
                       "notebooks") from None
    return into, sorted(member.filename for member in members if member not in notebooks)


def extract_capped(bundle: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path, limit: int) -> int:
    """One member, cut one byte past `limit`; the bytes written. A damaged member (a bad CRC, as when
    it lies about its size, or a broken stream) keeps what came out before the damage: its student's
    file is then no notebook, which costs that student alone."""
    try:
        with bundle.open(member) as inflating:
            return copy_capped(inflating, target, limit)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        target.touch()
        return target.stat().st_size


# An LMS prefixes each file with the student: Canvas "smithjane_LATE_123456_7890123_Lab_2.ipynb",
# Moodle "Jane Smith_1234567_assignsubmission_file_mnist_ann.ipynb".
LMS_NAME = re.compile(r"^(?P<student>.+?)_(?:LATE_)?\d{3,}_")


def student_id(path: Path) -> str:
    """The student an LMS named the file for (else the file name), reduced to characters safe in a path."""
    found = LMS_NAME.match(path.stem)
    name = found["student"] if found else path.stem
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("._") or "unnamed"
