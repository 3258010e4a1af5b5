"""The export format: what a sandboxed run leaves in its out/ folder, key by key.

The one definition of the format. The harness writes it (inside the sandbox);
autograder.sandbox.exports reads it (in the grader), refusing any other
SCHEMA_VERSION. Everything in it was written by a process the student's code
ran in: the grader validates it and trusts none of it blindly.

record.json, one JSON object:
  schema_version  int   SCHEMA_VERSION.
  seed            int   the probe seed the grader passed in (probe_inputs.py).
  cells           list  one entry per code cell run, in order: {"id": the cell's nbgrader
                        grade_id or null, "seconds": float, "error": "Type: message" or null}.
  label_encoding  str   the notebook's LABEL_ENCODING, once it is a string (at most 50 chars).
  probes          dict  step name -> what the step returned on the probe inputs (probes.py),
                        with "seconds"; {"error": "Type: message"} when it raised.
  fit_calls       list  each real Model.fit call: {"epochs", "batch_size", "validation_split",
                        "model_id", "x_shape", "y_shape"} (the data's shapes, never the data;
                        model_id: id() of the model fitted).
  final           dict  after the last cell: "model" (the notebook's `model` as layers, see
                        probes.describe_model), "model_id" (its id()) and "compile_config"
                        (its compile settings). The checks compare all of it with the probes.
  finished        bool  true once every cell ran and `final` was written.

arrays.npz, arrays the record names:
  <step>          the array a probe's step returned (normalize, flatten, one_hot, softmax,
                  confusion_matrix_of).
  model/<i>       the i-th weight of the trained model, in Keras's get_weights() order.

Both files are replaced whole after every cell, so a run that is killed leaves what it reached.
"""

import json
import os

SCHEMA_VERSION = 3
RECORD, ARRAYS = "record.json", "arrays.npz"
ERROR_CHARS = 500


def describe_error(error: BaseException) -> str:
    """How an error is recorded: its type and message, cut short."""
    return f"{type(error).__name__}: {error}"[:ERROR_CHARS]


class Record:
    """The record being written: `data` becomes record.json, `arrays` arrays.npz."""

    def __init__(self, out: str, seed: int):
        self.out = out
        self.data = {"schema_version": SCHEMA_VERSION, "seed": seed, "cells": [], "probes": {}, "fit_calls": [],
                     "final": {}}
        self.arrays = {}

    def save(self) -> None:
        import numpy as np

        if self.arrays:
            self._replace(ARRAYS, lambda handle: np.savez(handle, **self.arrays), binary=True)
        self._replace(RECORD, lambda handle: json.dump(self.data, handle, default=repr))

    def _replace(self, name: str, write, binary: bool = False) -> None:
        partial = os.path.join(self.out, f".{name}.partial")
        with open(partial, "wb" if binary else "w") as handle:
            write(handle)
        os.replace(partial, os.path.join(self.out, name))
