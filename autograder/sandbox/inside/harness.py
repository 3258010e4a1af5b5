"""The sandboxed processes of a submission. Started by the grader as
`python -I -c LAUNCH MODE ...` (see autograder.sandbox.runner) with this package
copied into the workdir; it imports nothing of the kit.

- `probe NOTEBOOK OUT SEED CPU WALL`: the notebook's definitions only, each step
  function asked its questions in a child of its own (probe_run.py).
- `run NOTEBOOK DATA OUT`: every code cell in order, as Restart & Run All
  with errors allowed; then the trained model and how it was compiled and fitted.
  The record is saved after every cell, so what the run reached survives if it is killed.
"""

import functools
import json
import os
import time

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


def main(mode: str, *arguments: str) -> None:
    if mode == "probe":
        from .probe_run import main as probe

        probe(*arguments)
    else:
        run_notebook(*arguments)
