"""The export format: what the sandboxed run of a submission leaves, key by key.

The one definition of the format. The harness's two phases write it (inside
the sandbox); autograder.sandbox.exports reads it (in the grader), refusing any
other SCHEMA_VERSION. Everything in it was written by a process the student's
code ran in: the grader validates it and trusts none of it blindly.

probes.json, from the probe phase (probe_run.py: the notebook's definitions only):
  schema_version  int   SCHEMA_VERSION.
  seconds         float how long the phase took, definitions and probes.
  cells           list  a definition that failed to load, per cell: {"id", "seconds", "error"}
                        (the checks quote it when a step function is missing).
  label_encoding  str   the notebook's LABEL_ENCODING, if it is a string (at most 50 chars).
  probes          dict  step name -> what the step returned on the probe inputs (probes.py,
                        on probe_inputs.py's inputs for the grader's seed), with "seconds";
                        {"error": "Type: message"} when it raised or was stopped.
probes.npz: <step>, the array a step returned (normalize, flatten, one_hot, softmax,
  confusion_matrix_of).

record.json, from the notebook phase (harness.py: every code cell, in order):
  schema_version  int   SCHEMA_VERSION.
  cells           list  one entry per code cell run, in order: {"id": the cell's nbgrader
                        grade_id or null, "seconds": float, "error": "Type: message" or null}.
  fit_calls       list  each real Model.fit call: {"epochs", "batch_size", "validation_split",
                        "model_id", "x_shape", "y_shape"} (the data's shapes, never the data;
                        model_id: id() of the model fitted), and once it returned "history":
                        its History's {metric: [value per epoch]}.
  final           dict  after the last cell: "model" (the notebook's `model` as layers, see
                        probes.describe_model), "model_id" (its id()) and "compile_config"
                        (its compile settings). The checks compare all of it with the probes.
  finished        bool  true once every cell ran and `final` was written (the result says
                        when a run stopped early without hitting a limit).
arrays.npz: model/<i>, the i-th weight of the trained model, in Keras's get_weights() order.

outputs.json, from the notebook phase, for the student's feedback only (never graded):
  schema_version  int   SCHEMA_VERSION.
  cells           list  one entry per code cell run: {"id", "stdout", "stderr": the tail of
                        its text as a terminal shows it, "images": [base64 PNG of each figure
                        open at its end]} (cell_outputs.py).

The files are replaced whole after every cell, so a run that is killed leaves what it reached.
"""

import json
import os

SCHEMA_VERSION = 5
RECORD, ARRAYS, OUTPUTS = "record.json", "arrays.npz", "outputs.json"
PROBE_RECORD, PROBE_ARRAYS = "probes.json", "probes.npz"
EXPORTS = (RECORD, ARRAYS, OUTPUTS, PROBE_RECORD, PROBE_ARRAYS)
ERROR_CHARS = 500


def describe_error(error: BaseException) -> str:
    """How an error is recorded: its type and message, cut short."""
    return f"{type(error).__name__}: {error}"[:ERROR_CHARS]


class Record:
    """A record being written: `data` becomes its JSON file, `arrays` its .npz."""

    def __init__(self, out: str | int, name: str = RECORD, arrays_name: str = ARRAYS):
        """`out`: the folder, or a descriptor of it (the probe phase's, which no path leads to)."""
        self.out, self.name, self.arrays_name = out, name, arrays_name
        self.data = {"schema_version": SCHEMA_VERSION, "cells": []}
        self.arrays = {}

    def save(self) -> None:
        import numpy as np

        if self.arrays:
            self._replace(self.arrays_name, lambda handle: np.savez(handle, **self.arrays), binary=True)
        self._replace(self.name, lambda handle: json.dump(self.data, handle, default=repr))

    def _replace(self, name: str, write, binary: bool = False) -> None:
        folder = {"dir_fd": self.out} if isinstance(self.out, int) else {}
        base = "" if folder else self.out
        partial = os.path.join(base, f".{name}.partial")
        handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644, **folder)
        with os.fdopen(handle, "wb" if binary else "w") as stream:
            write(stream)
        os.replace(partial, os.path.join(base, name),
                   **({"src_dir_fd": self.out, "dst_dir_fd": self.out} if folder else {}))
