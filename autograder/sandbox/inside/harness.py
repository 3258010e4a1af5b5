"""The sandboxed process of a submission. Started by the grader as
`python -I -c LAUNCH NOTEBOOK ANSWERS SEED CPU WALL DATA OUT` (see autograder.sandbox.runner)
with this package copied into the workdir; it imports nothing of the kit. Two phases, in
one process, so TensorFlow is loaded once:

1. the probes: the notebook's definitions only, each step function asked its questions in a
   child of its own; the answers go through the descriptor ANSWERS, closed when they are done
   (probe_run.py);
2. the run: every code cell in order, as Restart & Run All with errors allowed; then the
   trained model and how it was compiled and fitted. The record is saved after every cell,
   so what the run reached survives if it is killed.
"""

import functools
import gc
import json
import os
import time
from contextlib import contextmanager

from .cell_outputs import TOTAL_IMAGE_BYTES, captured, cell_output
from .probes import export_final, fit_arguments, fit_settings
from .record_format import OUTPUTS, Record, describe_error


def run_cells(notebook: str, record: Record, outputs: Record) -> dict:
    from IPython.core.interactiveshell import InteractiveShell

    shell, image_budget = InteractiveShell.instance(), [TOTAL_IMAGE_BYTES]
    with open(notebook) as handle:
        cells = [c for c in json.load(handle)["cells"] if c["cell_type"] == "code"]
    for cell in cells:
        cell_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        started = time.monotonic()
        print(f"\n--- cell {cell_id} ---", flush=True)
        with captured() as (out, err):
            result = shell.run_cell(source, store_history=False)
        outputs.data["cells"].append(cell_output(cell_id, out, err, image_budget))
        outputs.save()
        error = result.error_before_exec or result.error_in_exec
        record.data["cells"].append({"id": cell_id, "seconds": round(time.monotonic() - started, 2),
                                     "error": describe_error(error) if error else None})
        record.save()
    return shell.user_ns


STEPS_PER_EXECUTION = 128  # batches per call into TensorFlow: the same updates, in about half the time


@contextmanager
def fewer_calls(model, arguments: dict):
    """During a fit on arrays for whole epochs, where the student chose no number, have Keras run many
    batches per call into TensorFlow (`steps_per_execution`): each batch is the same update in the same
    order, so the weights and the History are the same; only callbacks hear of batches less often.
    Training here is mostly per-call overhead. The model is left as it was found. (With a generator
    and `steps_per_epoch`, Keras would run more steps than asked: left alone.)"""
    import numpy as np

    eligible = (isinstance(arguments.get("x"), np.ndarray) and arguments.get("steps_per_epoch") is None
                and getattr(model, "steps_per_execution", None) == 1 and getattr(model, "run_eagerly", True) is False)
    changed = eligible and steps_per_execution(model, STEPS_PER_EXECUTION)
    try:
        yield
    finally:
        if changed:
            steps_per_execution(model, 1)


def steps_per_execution(model, steps: int) -> bool:
    try:
        model.steps_per_execution = steps
        model.train_function = model.test_function = model.predict_function = None  # rebuilt to match
        return True
    except Exception:  # noqa: BLE001 - a model of the student's own making may refuse: leave it be
        return False


def record_fit_calls(keras, record: Record) -> None:
    """Wrap Model.fit to note how the real training was called (the data's shapes only)."""
    original = keras.Model.fit

    @functools.wraps(original)  # keeps fit's signature visible to everyone who inspects it
    def fit(self, *args, **kwargs):
        arguments = fit_arguments(original, self, args, kwargs)
        call = {**fit_settings(arguments), "model_id": id(self), "x_shape": list(getattr(arguments["x"], "shape", [])),
                "y_shape": list(getattr(arguments["y"], "shape", []))}
        record.data["fit_calls"].append(call)
        record.save()
        with fewer_calls(self, arguments):
            history = original(self, *args, **kwargs)
        call["history"] = getattr(history, "history", None)  # this call's, even if another fit ran meanwhile
        record.save()
        return history

    keras.Model.fit = fit


def run_notebook(notebook: str, data: str, out: str) -> None:
    os.environ["MNIST_PATH"] = data
    import matplotlib

    matplotlib.use("Agg")
    import keras

    record = Record(out)
    record.data.update(fit_calls=[], final={})
    record.save()
    record_fit_calls(keras, record)
    namespace = run_cells(notebook, record, Record(out, OUTPUTS))
    export_final(namespace, record)
    record.data["finished"] = True
    record.save()


def main(notebook: str, answers_fd: str, seed: str, cpu_seconds: str, wall_seconds: str, data: str,
         out: str) -> None:
    from .no_network import cut_network
    from .probe_run import probe

    print(cut_network(), flush=True)  # before any of the notebook's code, the probes' included
    probe(notebook, int(answers_fd), int(seed), int(cpu_seconds), int(wall_seconds))
    gc.collect()  # the probe record, its descriptor closed, is gone before the notebook's code runs
    run_notebook(notebook, data, out)
