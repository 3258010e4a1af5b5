"""Gradescope's autograder zip, unpacked into an /autograder-like tree and run as Gradescope runs it:
setup.sh once, then run_autograder for each submission, as root, in a container that permits no
namespaces (here: a PATH without bubblewrap). results.json follows Gradescope's specification and
gives the scores the local grader gives; the student's code reads nothing of the zip."""

import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import tempfile
import zipfile
from pathlib import Path

import jsonschema
import pytest
from markers import needs_sandbox
from fixtures.submissions import MISTAKES, edited

from autograder.course import notebooks
from autograder.data.splits import course_secret
from autograder.grading.class_grading import grade_class
from autograder.grading.cores import CoreSlots
from autograder.grading.submission import Grading
from autograder.reports.gradescope import gradescope_results
from autograder.settings import Settings
from autograder.submissions.collect import Submission

pytestmark = [needs_sandbox, pytest.mark.skipif(os.geteuid() != 0, reason="Gradescope runs its grader as root")]
SCHEMA = json.loads((Path(__file__).parents[1] / "fixtures" / "gradescope_results.schema.json").read_text())
PEEKS = ("source/data/mnist.npz", "source/course/.autograder_secret", "source/course/solutions/mnist_ann/reference.py",
         "source/kit/autograder/__init__.py", "home/.cache/mnist-ann-kit/reference_answers")  # the last: its answers


@pytest.fixture(scope="module")
def no_bubblewrap(tmp_path_factory) -> str:
    """A PATH with every program of this machine but bubblewrap, as in a container that has none."""
    folder = tmp_path_factory.mktemp("bin")
    for program in [*Path("/usr/bin").iterdir(), *Path("/usr/sbin").iterdir()]:
        if program.name != "bwrap" and not (folder / program.name).exists():
            (folder / program.name).symlink_to(program)
    return str(folder)


@pytest.fixture(scope="module")
def autograder(request, tmp_path_factory, mnist) -> Path:
    """/autograder after Gradescope built the image: the zip in source/, setup.sh run. The venv's
    dependencies are this one's (setup.sh's pip install is skipped, as on its second run)."""
    root = Path(tempfile.mkdtemp(prefix="autograder-gradescope-test-"))  # not below pytest's folders, root's alone
    request.addfinalizer(lambda: shutil.rmtree(root, ignore_errors=True))
    bundle = tmp_path_factory.mktemp("zip") / "autograder.zip"
    subprocess.run([sys.executable, "-m", "autograder", "gradescope-zip", "--out", str(bundle)], check=True,
                   env={**os.environ, "MNIST_PATH": str(mnist)}, capture_output=True)
    zipfile.ZipFile(bundle).extractall(root / "source")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root / "venv")], check=True)
    purelib = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site = subprocess.run([root / "venv" / "bin" / "python", "-c", purelib], capture_output=True, text=True,
                          check=True).stdout.strip()
    Path(site, "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    (root / "venv" / ".dependencies-installed").touch()
    setup = subprocess.run(["bash", str(root / "source" / "setup.sh")], capture_output=True, text=True,
                           env={"PATH": os.environ["PATH"], "AUTOGRADER_GRADESCOPE_ROOT": str(root)})
    assert setup.returncode == 0, setup.stdout[-2000:] + setup.stderr[-2000:]
    return root


def run_autograder(root: Path, path: str, no_bubblewrap: str, nb=None, text: str | None = None,
                   keep_submission: bool = False) -> tuple[dict, str]:
    """Gradescope's run of one submission in a fresh container: its results.json (checked against the
    specification) and the log."""
    for folder in ("results",) if keep_submission else ("submission", "results"):
        shutil.rmtree(root / folder, ignore_errors=True)
        (root / folder).mkdir()
    notebooks.write(nb, root / "submission" / path) if nb is not None else (root / "submission" / path).write_text(text)
    home = root / "home"  # readable by all, as a container's may be: what the grader keeps there must not be
    home.mkdir(mode=0o755, exist_ok=True)
    done = subprocess.run(["bash", str(root / "source" / "run_autograder")], capture_output=True, text=True,
                          env={"PATH": no_bubblewrap, "HOME": str(home), "AUTOGRADER_GRADESCOPE_ROOT": str(root)})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    results = json.loads((root / "results" / "results.json").read_text())
    jsonschema.validate(results, SCHEMA)
    return results, done.stdout


@pytest.fixture(scope="module")
def class_of_two(reference_nb):
    """A correct notebook, and one whose loss does not fit its labels (its fit fails: no second training)."""
    return {"correct": reference_nb, "mismatched": edited(reference_nb, MISTAKES["loss_mismatches_labels"].edit)}


@pytest.fixture(scope="module")
def on_gradescope(autograder, no_bubblewrap, class_of_two) -> dict[str, tuple[dict, str]]:
    return {name: run_autograder(autograder, "mnist_ann.ipynb", no_bubblewrap, nb) for name, nb in class_of_two.items()}


@pytest.fixture(scope="module")
def graded_here(class_of_two, settings, mnist, tmp_path_factory) -> dict:
    """The same notebooks graded by the local pool, in the bubblewrap sandbox, with the course's secret."""
    folder = tmp_path_factory.mktemp("local")
    submissions = []
    for name, nb in class_of_two.items():
        notebooks.write(nb, folder / f"{name}.ipynb")
        submissions.append(Submission(name, folder / f"{name}.ipynb"))
    grading = Grading(Settings(results_root=folder / "results"), mnist, notebooks.read(settings.release_notebook),
                      course_secret(settings.course_root), CoreSlots(2))
    return {result.student: result for result in grade_class(submissions, grading, workers=2)}


def test_the_log_says_the_container_is_the_sandbox(on_gradescope):
    _, log = on_gradescope["correct"]
    assert "No namespaces may be made here: this container is the sandbox" in log


def test_a_correct_notebook_scores_full_marks_with_every_test_passed(on_gradescope):
    results, _ = on_gradescope["correct"]
    assert results["score"] == 16 and all(test["status"] == "passed" for test in results["tests"])
    assert results["extra_data"]["measured_accuracy"] > 0.95


def test_each_submission_gets_the_local_graders_score_and_verdicts(on_gradescope, graded_here):
    for name, (results, _) in on_gradescope.items():
        local = gradescope_results(graded_here[name])
        assert results["score"] == local["score"]
        assert [(t["number"], t["name"], t["status"]) for t in results["tests"]] == \
               [(t["number"], t["name"], t["status"]) for t in local["tests"]]
    failed = {test["name"] for test in on_gradescope["mismatched"][0]["tests"] if test["status"] == "failed"}
    assert "label encoding matches the loss" in failed


def test_a_file_that_is_not_a_notebook_is_explained(autograder, no_bubblewrap):
    results, _ = run_autograder(autograder, "mnist_ann.ipynb", no_bubblewrap, text="my answers are in the pdf")
    assert results["score"] == 0 and "is not a valid Jupyter notebook" in results["output"]


def test_a_limit_hit_is_explained(autograder, no_bubblewrap, reference_nb):
    stops = edited(reference_nb, MISTAKES["no_legend"].edit)  # any notebook: 20 s of CPU stop it in training
    config = autograder / "source" / "course" / "nbgrader_config.py"
    kept = config.read_text()  # (and leave Python and Keras room to start: less, and the preflight refuses)
    config.write_text(kept + '\nc.Autograder.limits = {"cpu_seconds": 20}\n')
    try:
        results, _ = run_autograder(autograder, "mine.ipynb", no_bubblewrap, stops)
    finally:
        config.write_text(kept)
    assert "stopped your notebook at its CPU time (20 s) limit" in results["output"]
    assert results["extra_data"]["limits_hit"] == ["CPU time (20 s)"]


def test_the_students_code_reads_nothing_of_the_zip_and_reaches_no_network(autograder, no_bubblewrap, reference_nb):
    listening = socket.create_server(("127.0.0.1", 0))  # on the machine's loopback, which the container shares
    peeks = ", ".join(repr(str(autograder / path)) for path in PEEKS)
    snoop = ("import os, socket\nfound = [path for path in [" + peeks + "] if os.access(path, os.R_OK)]\n"
             "try:\n    import autograder\n    found.append(autograder.__file__)\nexcept ImportError:\n    pass\n"
             f"try:\n    socket.create_connection(('127.0.0.1', {listening.getsockname()[1]}), timeout=5).close()\n"
             "    found.append('the loopback')\nexcept OSError:\n    pass\n"
             "raise RuntimeError(f'read {found} as uid {os.getuid()}')")
    nb = edited(reference_nb, *[MISTAKES["no_legend"].edit])
    nb.cells[[notebooks.grade_id(cell) for cell in nb.cells].index("label_encoding")].source += "\n" + snoop
    with listening:
        results, log = run_autograder(autograder, "mnist_ann.ipynb", no_bubblewrap, nb)
    assert "RuntimeError: read [] as uid 65533" in results["output"]
    assert "network: no socket may be opened (seccomp)" in log
    assert all((autograder / path).exists() for path in PEEKS)  # they are there: the run just cannot read them


def test_several_notebooks_none_named_for_the_assignment_are_not_guessed_between(autograder, no_bubblewrap,
                                                                                reference_nb):
    shutil.rmtree(autograder / "submission", ignore_errors=True)
    (autograder / "submission").mkdir()
    notebooks.write(reference_nb, autograder / "submission" / "draft.ipynb")
    results, _ = run_autograder(autograder, "final.ipynb", no_bubblewrap, reference_nb, keep_submission=True)
    assert results["score"] == 0 and "holds 2 notebooks (draft.ipynb, final.ipynb)" in results["output"]
    assert "named mnist_ann.ipynb" in results["output"]


def test_a_link_to_the_courses_solved_notebook_is_not_graded(autograder, no_bubblewrap):
    """Were the link followed, the grader would grade the course's own solution as the student's."""
    shutil.rmtree(autograder / "submission", ignore_errors=True)
    (autograder / "submission").mkdir()
    solved = autograder / "source" / "course" / "solutions" / "mnist_ann" / "mnist_ann.ipynb"
    (autograder / "submission" / "mnist_ann.ipynb").symlink_to(solved)
    results, _ = run_autograder(autograder, "notes.txt", no_bubblewrap, text="see my notebook", keep_submission=True)
    assert solved.is_file() and results["score"] == 0 and "Nothing was submitted" in results["output"]
