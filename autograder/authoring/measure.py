"""Measure the reference solution's test accuracy over several seeds.

The grader's accuracy threshold is derived from these runs (see expectations.py),
so it rests on measurement rather than on a number someone liked.
"""

import contextlib
import io
import json
import platform
import time
from pathlib import Path

import numpy as np

from ..course.files import write_text_atomically
from ..settings import Settings
from .reference import load_reference

RUNS_FILE = "accuracy_runs.json"


def reference_accuracy(reference, data: dict[str, np.ndarray], seed: int) -> float:
    """Run the nine steps as the notebook does, with `seed`; return the test accuracy."""
    import keras

    keras.utils.set_random_seed(seed)
    x_train, x_test = reference.normalize(data["x_train"]), reference.normalize(data["x_test"])
    model = reference.compile_model(reference.build_model())
    if tuple(model.input_shape[1:]) != x_train.shape[1:]:
        x_train, x_test = reference.flatten(x_train), reference.flatten(x_test)
    encode = reference.one_hot if reference.LABEL_ENCODING == "one_hot" else np.asarray
    with contextlib.redirect_stdout(io.StringIO()):
        reference.train_model(model, x_train, encode(data["y_train"]))
    return reference.evaluate_model(model, x_test, encode(data["y_test"]))[1]


def measure(settings: Settings, mnist: Path, seeds: list[int], report=print) -> dict:
    """Train the reference once per seed and write solutions/<assignment>/accuracy_runs.json."""
    import keras
    import tensorflow as tf

    reference = load_reference(settings)
    with np.load(mnist, allow_pickle=False) as archive:
        data = {key: archive[key] for key in ("x_train", "y_train", "x_test", "y_test")}
    runs = []
    for seed in seeds:
        started = time.perf_counter()
        accuracy = reference_accuracy(reference, data, seed)
        runs.append({"seed": seed, "test_accuracy": round(accuracy, 4),
                     "seconds": round(time.perf_counter() - started, 1)})
        report(f"seed {seed}: test accuracy {accuracy:.4f} ({runs[-1]['seconds']} s)")
    record = {"runs": runs, "tensorflow": tf.__version__, "keras": keras.__version__,
              "machine": f"{platform.machine()}, {platform.system()}, CPU"}
    write_text_atomically(settings.solutions_dir / RUNS_FILE, json.dumps(record, indent=2) + "\n")
    return record
