"""Verdicts that can be trusted: weights trained outside the grader are worth chance in it.

(Every other attack, and what it scores, is a case of the corpus: test_corpus.py.)
"""

import base64
import io

import numpy as np
import pytest
from markers import needs_sandbox
from fixtures.submissions import Edit, edited

from autograder.authoring.reference import load_reference
from autograder.course import notebooks
from autograder.evaluation.network import accuracy, dense_stack
from autograder.grading.submission import Grading, grade
from autograder.settings import Settings

pytestmark = needs_sandbox
FIT = "return model.fit(x_train, y_train, epochs=10, batch_size=128, validation_split=0.1, verbose=2)"


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
