"""A run's exports are read as the one documented format, or not at all."""

import json
import zipfile

import numpy as np

from autograder.sandbox.exports import read_arrays, read_record, refusal
from autograder.sandbox.runner import copy_exports
from autograder.sandbox.inside.record_format import SCHEMA_VERSION, Record


def written(tmp_path, **data) -> dict:
    (tmp_path / "record.json").write_text(json.dumps(data))
    return read_record(tmp_path)


def test_what_the_harness_writes_the_grader_reads(tmp_path):
    record = Record(str(tmp_path))
    record.data["cells"].append({"id": "normalize", "seconds": 0.1, "error": None})
    record.arrays["normalize"] = np.ones((2, 2), np.float32)
    record.save()
    assert read_record(tmp_path)["cells"][0] == {"id": "normalize", "seconds": 0.1, "error": None}
    assert read_arrays(tmp_path, 1 << 20)["normalize"].shape == (2, 2)


def test_a_record_of_another_schema_is_not_read(tmp_path):
    assert written(tmp_path, schema_version=SCHEMA_VERSION + 1, cells=[]) == {}
    assert written(tmp_path, cells=[]) == {}


def test_a_cell_error_that_is_not_text_is_kept_as_text(tmp_path):
    record = written(tmp_path, schema_version=SCHEMA_VERSION, cells=[{"id": 3, "seconds": 1, "error": 42}])
    assert record["cells"] == [{"id": "3", "seconds": 1.0, "error": "42"}]


def test_a_record_of_the_wrong_shape_is_not_read(tmp_path):
    assert written(tmp_path, schema_version=SCHEMA_VERSION, probes=["not", "a", "dict"]) == {}
    (tmp_path / "record.json").write_text("[1, 2")
    assert read_record(tmp_path) == {}


def test_a_refused_record_says_why_and_a_missing_one_is_not_refused(tmp_path):
    assert refusal(tmp_path) is None
    written(tmp_path, schema_version=SCHEMA_VERSION + 1)
    assert refusal(tmp_path) == f"it is not a record of schema {SCHEMA_VERSION}"
    written(tmp_path, schema_version=SCHEMA_VERSION, probes=["not", "a", "dict"])
    assert refusal(tmp_path) == "1 of its fields are of the wrong kind"
    written(tmp_path, schema_version=SCHEMA_VERSION)
    assert refusal(tmp_path) is None


def test_an_export_too_large_to_copy_is_noted_as_refused(tmp_path):
    out, into = tmp_path / "out", tmp_path / "into"
    out.mkdir(), into.mkdir()
    (out / "record.json").write_text(json.dumps({"schema_version": SCHEMA_VERSION, "cells": [{}] * 600_000}))
    copy_exports(out, into, {"record.json": 1 << 20})
    assert not (into / "record.json").exists()
    assert refusal(into) == "it is larger than the 1 MiB allowed" and read_record(into) == {}


def test_arrays_that_would_inflate_past_the_limit_are_not_read(tmp_path):
    np.savez_compressed(tmp_path / "arrays.npz", big=np.zeros(1 << 20, np.uint8))
    assert read_arrays(tmp_path, 1 << 16) == {}
    assert read_arrays(tmp_path, 1 << 22)["big"].size == 1 << 20


def test_pickled_arrays_are_not_loaded(tmp_path):
    np.savez(tmp_path / "arrays.npz", sneaky=np.array([object()], dtype=object))
    assert read_arrays(tmp_path, 1 << 20) == {}
    assert zipfile.is_zipfile(tmp_path / "arrays.npz")
