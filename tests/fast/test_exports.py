"""A run's exports are read as the one documented format, or not at all."""

import json
import zipfile

import numpy as np

from autograder.sandbox.exports import read_arrays, read_record
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


def test_arrays_that_would_inflate_past_the_limit_are_not_read(tmp_path):
    np.savez_compressed(tmp_path / "arrays.npz", big=np.zeros(1 << 20, np.uint8))
    assert read_arrays(tmp_path, 1 << 16) == {}
    assert read_arrays(tmp_path, 1 << 22)["big"].size == 1 << 20


def test_pickled_arrays_are_not_loaded(tmp_path):
    np.savez(tmp_path / "arrays.npz", sneaky=np.array([object()], dtype=object))
    assert read_arrays(tmp_path, 1 << 20) == {}
    assert zipfile.is_zipfile(tmp_path / "arrays.npz")
