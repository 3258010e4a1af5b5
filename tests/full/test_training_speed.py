"""The harness trains faster (`steps_per_execution`) without changing what is trained."""

import numpy as np
import pytest

from autograder.sandbox.inside.harness import STEPS_PER_EXECUTION, fewer_calls

keras = pytest.importorskip("keras")


class Seen(keras.callbacks.Callback):
    """The model's steps_per_execution while it trains."""

    def on_train_begin(self, logs=None):
        self.steps = self.model.steps_per_execution


def trained(faster: bool, x, y, **fit) -> tuple[list, int, dict]:
    keras.utils.set_random_seed(7)
    model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    arguments = {"x": x, "steps_per_epoch": fit.get("steps_per_epoch")} if faster else {}
    seen = Seen()
    with fewer_calls(model, arguments):
        history = model.fit(x, y, epochs=2, verbose=0, callbacks=[seen], **fit)
    assert seen.steps == (STEPS_PER_EXECUTION if faster else 1)
    assert model.steps_per_execution == 1  # the student's model is left as it was found
    return model.get_weights(), int(model.optimizer.iterations.numpy()), history.history


def test_on_arrays_the_same_batches_make_the_same_weights_and_history():
    rng = np.random.default_rng(0)
    x, y = rng.random((2000, 784), dtype=np.float32), keras.utils.to_categorical(rng.integers(0, 10, 2000), 10)
    plain, faster = trained(False, x, y, batch_size=32, validation_split=0.1), \
        trained(True, x, y, batch_size=32, validation_split=0.1)
    assert faster[1] == plain[1] == 2 * 57  # 1,800 training images in 57 batches an epoch
    assert all(np.array_equal(a, b) for a, b in zip(plain[0], faster[0])) and faster[2] == plain[2]


def test_a_generator_with_steps_per_epoch_is_left_alone():
    rng = np.random.default_rng(1)
    x, y = rng.random((320, 784), dtype=np.float32), keras.utils.to_categorical(rng.integers(0, 10, 320), 10)

    def batches():
        while True:
            yield x[:32], y[:32]

    keras.utils.set_random_seed(7)
    model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    with fewer_calls(model, {"x": batches(), "steps_per_epoch": 5}):
        model.fit(batches(), steps_per_epoch=5, epochs=2, verbose=0)
    assert int(model.optimizer.iterations.numpy()) == 10
