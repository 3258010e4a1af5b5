"""The sandboxed process: run a submission's code cells in order, probe each step
function once it is defined, and export what happened (record_format.py).

Started by the grader as `python -I -c LAUNCH NOTEBOOK DATA OUT SEED` (see
autograder.sandbox.runner) with this package copied into the workdir; it imports
nothing of the kit. The record is saved after every cell, so what the run
reached survives if it is killed.
"""

import functools
import json
import os
import time

from .probe_inputs import probe_inputs
from .probes import export_final, fit_arguments, fit_settings, probe_new_functions
from .record_format import Record, describe_error


def run_cells(notebook: str, record: Record, inputs: dict) -> dict:
    """Run every code cell in order, as Restart & Run All with errors allowed."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    with open(notebook) as handle:
        cells = [c for c in json.load(handle)["cells"] if c["cell_type"] == "code"]
    for cell in cells:
        cell_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        started = time.monotonic()
        print(f"\n--- cell {cell_id} ---", flush=True)
        result = shell.run_cell(source, store_history=False)
        error = result.error_before_exec or result.error_in_exec
        record.data["cells"].append({"id": cell_id, "seconds": round(time.monotonic() - started, 2),
                                     "error": describe_error(error) if error else None})
        probe_new_functions(shell.user_ns, record, inputs)
        record.save()
    return shell.user_ns


def record_fit_calls(keras, record: Record) -> None:
    """Wrap Model.fit to note how the real training was called (the data's shapes only)."""
    original = keras.Model.fit

    @functools.wraps(original)  # keeps fit's signature visible to everyone who inspects it
    def fit(self, *args, **kwargs):
        arguments = fit_arguments(original, self, args, kwargs)
        record.data["fit_calls"].append({**fit_settings(arguments), "model_id": id(self),
                                         "x_shape": list(getattr(arguments["x"], "shape", [])),
                                         "y_shape": list(getattr(arguments["y"], "shape", []))})
        record.save()
        return original(self, *args, **kwargs)

    keras.Model.fit = fit


def main(notebook: str, data: str, out: str, seed: str) -> None:
    os.environ["MNIST_PATH"] = data
    import matplotlib

    matplotlib.use("Agg")
    import keras

    record = Record(out, int(seed))
    record.save()
    record_fit_calls(keras, record)
    namespace = run_cells(notebook, record, probe_inputs(int(seed)))
    export_final(namespace, record)
    record.data["finished"] = True
    record.save()
