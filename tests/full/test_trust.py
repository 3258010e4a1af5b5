"""Verdicts that can be trusted: a score comes from the work done in the grader's own run.

Each test is one kind of attack a student could try, and what the grader makes of it.
"""

import base64
import io

import numpy as np
import pytest
from conftest import needs_sandbox
from fixtures.submissions import Edit, edited

from autograder.authoring.reference import load_reference
from autograder.course import notebooks
from autograder.evaluation.network import accuracy, dense_stack
from autograder.grading.submission import Grading, grade
from autograder.settings import Settings

pytestmark = needs_sandbox
FIT = "return model.fit(x_train, y_train, epochs=10, batch_size=128, validation_split=0.1)"


@pytest.fixture
def grade_nb(tmp_path, small_mnist, settings):
    release = notebooks.read(settings.release_notebook)

    def run(nb):
        notebooks.write(nb, tmp_path / "submission.ipynb")
        grading = Grading(Settings(results_root=tmp_path / "results"), small_mnist, release)
        return grade(tmp_path / "submission.ipynb", "student", grading)

    return run


@pytest.fixture(scope="module")
def weights_from_elsewhere(settings, small_mnist) -> list[np.ndarray]:
    """The practical's network, trained outside the grader on natural images, as a student could bring it in."""
    import keras

    reference = load_reference(settings)
    keras.utils.set_random_seed(0)
    with np.load(small_mnist) as data:
        x, y = reference.normalize(data["x_train"]), reference.one_hot(data["y_train"])
    model = reference.compile_model(reference.build_model())
    model.fit(x, y, epochs=3, batch_size=128, verbose=0)
    return model.get_weights()


def brings_in(weights: list[np.ndarray]) -> tuple[Edit, Edit]:
    """train_model() loads the weights embedded in the notebook instead of training."""
    saved = io.BytesIO()
    np.savez(saved, **{f"w{i}": array for i, array in enumerate(weights)})
    embedded = base64.b64encode(saved.getvalue()).decode()
    load = ("import base64, io\n"
            "    with np.load(io.BytesIO(base64.b64decode(WEIGHTS))) as saved:\n"
            "        model.set_weights([saved[f'w{i}'] for i in range(len(saved.files))])\n"
            "    return keras.callbacks.History()")
    return (Edit("label_encoding", 'LABEL_ENCODING = "one_hot"', f'LABEL_ENCODING = "one_hot"\nWEIGHTS = "{embedded}"'),
            Edit("train_model", FIT, load))


def test_weights_trained_elsewhere_are_worth_chance_in_the_grader(grade_nb, reference_nb, weights_from_elsewhere,
                                                                  small_mnist):
    layers = [{"class": "Dense", "activation": a, "use_bias": True} for a in ("relu", "relu", "softmax")]
    stack = dense_stack({"layers": layers, "weights": 6}, {f"model/{i}": w for i, w in enumerate(weights_from_elsewhere)})
    with np.load(small_mnist) as data:
        natural = accuracy(stack, data["x_test"], data["y_test"], (1 / 255, 0.0))
    assert natural > 0.85  # on natural images these weights would pass for honest work

    result = grade_nb(edited(reference_nb, *brings_in(weights_from_elsewhere)))
    assert result.measured_accuracy < 0.3
    assert "check_test_accuracy" in {check.cell for check in result.failed}


PROBED = Edit("normalize", "def normalize(images):",
              "import inspect\n\n\ndef probed():\n    return any('probes' in f.filename for f in inspect.stack())"
              "\n\n\ndef normalize(images):")
TWO_FACED = (PROBED,
             Edit("build_model", 'layers.Dense(128, activation="relu"),',
                  'layers.Dense(128 if probed() else 32, activation="relu"),'),
             Edit("compile_model", 'optimizer="adam"', 'optimizer="adam" if probed() else "sgd"'),
             Edit("train_model", "epochs=10", "epochs=10 if probed() else 2"))


@pytest.fixture(scope="module")
def two_faced(reference_nb, small_mnist, settings, tmp_path_factory):
    """Answers the probes as asked, and trains something else in the notebook's own run."""
    folder = tmp_path_factory.mktemp("two_faced")
    notebooks.write(edited(reference_nb, *TWO_FACED), folder / "submission.ipynb")
    grading = Grading(Settings(results_root=folder / "results"), small_mnist, notebooks.read(settings.release_notebook))
    result = grade(folder / "submission.ipynb", "student", grading)
    return {check.cell: check.message for check in result.failed}


def test_a_network_other_than_build_models_loses_the_build_points(two_faced):
    assert "the notebook trained Dense(32, relu)" in two_faced["check_build_model"]


def test_compiling_otherwise_than_compile_model_loses_the_compile_points(two_faced):
    assert "'optimizer': 'sgd'" in two_faced["check_compile_model"]


def test_training_otherwise_than_train_model_loses_the_training_points(two_faced):
    assert "'epochs': 2" in two_faced["check_train_model"]


SAME_NETWORK_OTHER_IDIOMS = (
    Edit("build_model", '''        layers.Dense(128, activation="relu"),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),''', '''        layers.Dense(128, activation=tf.nn.relu),
        layers.Dense(64),
        layers.Activation("relu"),
        layers.Dense(10),
        layers.Activation(tf.nn.softmax),'''),
    Edit("build_model", "def build_model():", "import tensorflow as tf\n\n\ndef build_model():"),
    Edit("train_model", "return model.fit(", "y_train = np.asarray(y_train, dtype='float32')\n    return model.fit("),
)


def test_the_same_network_in_other_idioms_loses_nothing(grade_nb, reference_nb):
    result = grade_nb(edited(reference_nb, *SAME_NETWORK_OTHER_IDIOMS))
    assert {check.cell: check.message for check in result.failed if check.cell != "check_test_accuracy"} == {}
    assert result.measured_accuracy > 0.85


def forged_answers() -> dict:
    """The reference's own answers to the structural probes (what a forger would plant)."""
    import json

    from fixtures.canned_runs import FOLDER

    answers = json.loads((FOLDER / "reference" / "probes.json").read_text())["probes"]
    return {step: answers[step] for step in ("build_model", "compile_model", "train_model", "split_sizes")}


FORGED_CELLS = {"check_build_model", "check_compile_model", "check_train_model", "check_split_sizes"}
PLANT = '''
import gc, json, os
FORGED = json.loads({forged!r})
for found in gc.get_objects():
    if type(found).__name__ == "Record" and hasattr(found, "data"):
        found.data.setdefault("probes", {{}}).update(FORGED)
        try:
            found.save()
        except Exception:
            pass
'''
# A daemon that keeps rewriting the answers through any folder its parent holds open.
HAUNT = '''
import json, os, time
FORGED = json.loads({forged!r})
parent = os.getppid()
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.closerange(3, 4096)  # let the parent go on: the answer's pipe closes
        end = time.time() + 120
        while time.time() < end:
            try:
                for fd in os.listdir(f"/proc/{{parent}}/fd"):
                    try:
                        folder = os.open(f"/proc/{{parent}}/fd/{{fd}}", os.O_RDONLY | os.O_DIRECTORY)
                        written = os.open("probes.json", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, dir_fd=folder)
                        with open(written, "w") as out:
                            json.dump({{"schema_version": 4, "probes": FORGED}}, out)
                    except OSError:
                        pass
            except OSError:
                pass
            time.sleep(0.001)
    os._exit(0)
'''


@pytest.fixture(scope="module")
def blank_release(settings):
    return notebooks.read(settings.release_notebook)


def test_answers_planted_by_a_cell_of_the_notebook_earn_nothing(grade_nb, blank_release):
    import json

    planting = edited(blank_release, Edit("label_encoding", "raise NotImplementedError()",
                                          PLANT.format(forged=json.dumps(forged_answers()))))
    result = grade_nb(planting)
    assert FORGED_CELLS <= {check.cell for check in result.failed}
    assert result.score == 0


def test_answers_planted_by_one_step_function_for_the_others_earn_nothing(grade_nb, blank_release):
    import json

    body = (PLANT + HAUNT).format(forged=json.dumps(forged_answers())).replace("\n", "\n    ")
    planting = edited(blank_release, Edit("normalize", "def normalize(images):",
                                          "def normalize(images):" + body + "\n    return images / 255.0\n\n\ndef _unused(images):"))
    result = grade_nb(planting)
    assert FORGED_CELLS <= {check.cell for check in result.failed}
    assert {check.cell for check in result.checks if check.passed} <= {"check_normalize"}
