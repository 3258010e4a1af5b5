"""A class whose LMS zip holds a deflate bomb, a member that lies about its size, 100,000 tiny files
from one student, a notebook nested 200,000 deep and one of 5.5 million empty objects, plus a 2 GiB
notebook put in submitted/: each
costs its author alone (recorded, 0, the kit's feedback page), the honest student is graded, and the
grader's own peak memory (the kernel's count, VmHWM) stays under 500 MB."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import mnist_slice
from markers import needs_sandbox

from autograder.grading.result import stored_results
from autograder.settings import Settings

pytestmark = needs_sandbox
GIB, LIMIT = 1 << 30, Settings().limits.notebook_bytes
# The kit's command line (on a slice of MNIST, as conftest.ON_A_SLICE), printing its own peak memory as it
# exits: VmHWM, its peak resident memory. (Not ru_maxrss: that keeps the peak of the process that started it,
# here a pytest worker that may have imported TensorFlow.)
GRADER = ("import atexit, sys, autograder.data.mnist as mnist; mnist.verified = lambda path: path; "
          "atexit.register(lambda: print('peak bytes', next(int(line.split()[1]) * 1024 for line in "
          "open('/proc/self/status') if line.startswith('VmHWM:')))); "
          "from autograder.cli import main; sys.exit(main(sys.argv[1:]))")
TOO_LARGE, NOT_A_NOTEBOOK = "too large to grade", "not a valid Jupyter notebook"


def deflated_zeros(archive: zipfile.ZipFile, name: str, size: int) -> zipfile.ZipInfo:
    member = zipfile.ZipInfo(name)
    member.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(member, "w", force_zip64=size > zipfile.ZIP64_LIMIT) as sink:
        for _ in range(size >> 20):
            sink.write(bytes(1 << 20))
    return member


def class_zip(path: Path, reference: str, blank: str) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("ann.ipynb", reference)
        deflated_zeros(archive, "mallory.ipynb", 2 * GIB)  # a 2 GiB member, in 2 MB
        liar = deflated_zeros(archive, "liar.ipynb", GIB)
        archive.writestr("nested.ipynb", '{"cells": [], "nbformat": 4, "nbformat_minor": 5, "metadata": {"x": '
                         + "[" * 200_000 + "]" * 200_000 + "}}")
        archive.writestr("wide.ipynb", '{"cells": [], "nbformat": 4, "nbformat_minor": 5, "metadata": {"x": ['
                         + ",".join(["{}"] * 5_500_000) + "]}}")  # 16 MB, within the limit: 2.8 GB to parse
        archive.writestr("Junk Sender_123456_assignsubmission_file_mnist_ann.ipynb", blank)
        for index in range(100_000):
            archive.writestr(f"Junk Sender_123456_assignsubmission_file_{index}.txt", "x")
        liar.file_size = 1000  # written into the central directory on close: "1,000 bytes"
    return path


def graded(course: Path, data: Path, *args: str) -> int:
    """`grade` run as the instructor runs it; the grader's own peak memory in bytes."""
    done = subprocess.run([sys.executable, "-c", GRADER, "--mnist", str(data), "grade", *args], cwd=course,
                          capture_output=True, text=True, timeout=2400)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return int(done.stdout.rsplit("peak bytes", 1)[1].split()[0])


@pytest.fixture(scope="module")
def course(tmp_path_factory, mnist, settings) -> tuple[Path, dict[str, int]]:
    root = tmp_path_factory.mktemp("intake")
    subprocess.run([sys.executable, "-m", "autograder", "init", "lab"], cwd=root, check=True, capture_output=True,
                   timeout=600)
    folder, data = root / "lab", mnist_slice(mnist, root / "mnist_slice.npz", 1500)
    reference = (settings.solutions_dir / "mnist_ann.ipynb").read_text()
    bundle = class_zip(root / "class.zip", reference, settings.release_notebook.read_text())
    peaks = {"grade --from the zip": graded(folder, data, "--from", str(bundle))}
    huge = folder / "submitted" / "huge" / "mnist_ann" / "mnist_ann.ipynb"
    huge.parent.mkdir(parents=True)
    with huge.open("wb") as file:
        file.truncate(2 * GIB)  # sparse: no room on disk, 2 GiB to anyone who reads it
    peaks["grade, submitted/ holding a 2 GiB notebook"] = graded(folder, data)
    return folder, peaks


def results(folder: Path) -> dict:
    return {result.student: result for result in stored_results(folder / "results" / "mnist_ann")[0]}


def test_the_graders_own_memory_stays_under_500_mb(course):
    _, peaks = course
    print(", ".join(f"{run}: {peak / 2**20:.0f} MiB" for run, peak in peaks.items()))
    assert all(peak < 500 << 20 for peak in peaks.values()), peaks


def test_each_oversized_file_is_its_students_problem_with_its_size_and_the_limit(course):
    folder, _ = course
    found = results(folder)
    for student in ("mallory", "liar", "nested", "wide", "huge"):
        assert found[student].score == 0 and found[student].problem, student
    for student in ("mallory", "huge"):
        assert TOO_LARGE in found[student].problem and f"{LIMIT:,} bytes" in found[student].problem
    assert "at least 2,147,483,648 bytes" in found["huge"].problem
    for student in ("liar", "nested", "wide"):  # cut at what it declared, nested or wide past any parser
        assert NOT_A_NOTEBOOK in found[student].problem


def test_the_rest_of_the_class_is_graded(course):
    folder, _ = course
    found = results(folder)
    assert found["ann"].problem is None and found["ann"].score > 0
    assert found["Junk_Sender"].problem is None


def test_no_file_the_zip_brought_into_submitted_is_over_the_limit(course):
    folder, _ = course
    sizes = {path.relative_to(folder).as_posix(): path.stat().st_size for path in (folder / "submitted").rglob("*")
             if path.is_file() and path.parts[-3] != "huge"}  # huge's was put there as it is
    assert sizes["submitted/mallory/mnist_ann/mnist_ann.ipynb"] == LIMIT + 1
    assert max(sizes.values()) == LIMIT + 1


def test_an_oversized_submission_gets_zero_in_the_gradebook_and_the_kits_feedback_page(course):
    folder, _ = course
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{folder / 'gradebook.db'}", "dlt-mnist") as gb:
        assert gb.find_submission("mnist_ann", "mallory").score == 0
    page = folder / "feedback" / "mallory" / "mnist_ann" / "results.html"
    assert TOO_LARGE in page.read_text()
