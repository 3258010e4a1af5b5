"""Grade a class: find the submissions, grade them in parallel, keep every result.

Results are written as each submission finishes, so an interrupted run resumes
where it stopped: finished submissions are cached by content hash.
"""

import os
import re
import shutil
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from . import __version__, notebooks, sandbox
from .errors import KitError
from .grading import cell_points, grade
from .results import Result
from .run import training_split
from .settings import Settings


@dataclass(frozen=True)
class Submission:
    student: str
    path: Path


def submitted(settings: Settings) -> list[Submission]:
    """nbgrader's layout: submitted/<student>/<assignment>/<assignment>.ipynb."""
    root = settings.course_root / "submitted"
    if not root.is_dir():
        raise KitError(f"There is no {root}: collect submissions with `nbgrader collect {settings.assignment}`, "
                       "or grade a folder or zip of notebooks with --from")
    return [Submission(folder.name, folder / settings.assignment / f"{settings.assignment}.ipynb")
            for folder in sorted(root.iterdir()) if (folder / settings.assignment).is_dir()]


def import_loose(source: Path, settings: Settings) -> list[Submission]:
    """Copy a folder or zip of files (one per student, named for the student) into submitted/."""
    if not source.exists():
        raise KitError(f"{source} does not exist: give a folder or a .zip of the students' notebooks")
    with tempfile.TemporaryDirectory() as scratch:
        folder = unzip(source, Path(scratch)) if source.is_file() else source
        files = sorted(path for path in folder.rglob("*") if path.is_file() and not path.name.startswith("."))
        if not files:
            raise KitError(f"{source} holds no files to grade")
        refuse_shared_ids(files)
        imported = []
        for path in files:
            student = student_id(path)
            target = settings.course_root / "submitted" / student / settings.assignment
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / f"{settings.assignment}.ipynb")
            stamp = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
            (target / "timestamp.txt").write_text(stamp.strftime("%Y-%m-%d %H:%M:%S.%f %Z"))
            imported.append(Submission(student, target / f"{settings.assignment}.ipynb"))
    return imported


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
            members = [member for member in bundle.infolist() if not member.is_dir()]
            names = [Path(member.filename).name for member in members]
            refuse_shared_ids([Path(name) for name in names])
            for member, name in zip(members, names):
                (into / name).write_bytes(bundle.read(member))
                stamp = datetime(*member.date_time).timestamp()
                os.utime(into / name, (stamp, stamp))
    except zipfile.BadZipFile:
        raise KitError(f"{archive} is not a zip file: give a folder or a .zip of notebooks") from None
    return into


def student_id(path: Path) -> str:
    """The file name without its extension, reduced to characters safe in a path."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", path.stem).strip("._") or "unnamed"


def default_workers(settings: Settings) -> int:
    """One worker per core, as many as the memory holds (bench/grading_throughput.py:
    on 2 cores, 2 one-thread workers grade 1.9 times as fast as 1 two-thread worker)."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return max(1, min(os.cpu_count() or 1, memory // (settings.limits.memory_bytes + (1 << 30))))


def grade_class(submissions: list[Submission], settings: Settings, mnist: Path, workers: int,
                on_result: Callable[[Result], None] = lambda result: None) -> list[Result]:
    """Grade every submission; one student's failure, even the kit's own, touches no other."""
    release = notebooks.read(settings.release_notebook)
    settings.results_dir.mkdir(parents=True, exist_ok=True)
    split = training_split(mnist, settings.results_dir)
    per_worker = settings.model_copy(update={"threads_per_worker": max(1, (os.cpu_count() or 1) // workers)})
    results = []
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        futures = [pool.submit(grade_one, s, per_worker, mnist, split, release) for s in submissions]
        for future in as_completed(futures):
            results.append(future.result())
            on_result(results[-1])
    except KeyboardInterrupt:
        pool.shutdown(wait=False, cancel_futures=True)
        sandbox.stop_all()  # what finished is written; what was running leaves nothing behind
        raise
    pool.shutdown()
    return sorted(results, key=lambda result: result.student)


def grade_one(submission: Submission, settings: Settings, mnist: Path, split: Path, release) -> Result:
    if not submission.path.is_file():
        return recorded_problem(submission, settings, release, "no notebook was submitted")
    try:
        return grade(submission.path, submission.student, settings, mnist, split, release)
    except sandbox.Interrupted:
        raise
    except Exception as error:  # a fault of the kit's: recorded for this student, the class goes on
        return recorded_problem(submission, settings, release, f"the grader failed ({type(error).__name__}: {error})")


def recorded_problem(submission: Submission, settings: Settings, release, problem: str) -> Result:
    result = Result(student=submission.student, assignment=settings.assignment, kit_version=__version__,
                    content_hash="", problem=problem, cell_points=cell_points(release))
    result.write(settings.results_dir / submission.student / "result.json")
    return result
