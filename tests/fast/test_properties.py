"""Whatever a submission or its run leaves behind, the grader reads it without crashing:
it records an outcome, or refuses with a reason. (Property-based: hypothesis makes the cases.)"""

import copy
import io
import json
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from autograder.course import notebooks
from autograder.evaluation.evaluator import evaluate
from autograder.sandbox.exports import read_arrays, read_probes, read_record
from autograder.sandbox.inside.record_format import SCHEMA_VERSION
from autograder.submissions.intake import restore_protected_cells, visible

FOLDER_REUSED = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=25)
RECORD_KEYS = ["schema_version", "seed", "cells", "label_encoding", "probes", "fit_calls", "final", "finished"]
LAYER = st.fixed_dictionaries({"class": st.sampled_from(["Dense", "Flatten", "Activation", "Lambda", "ReLU", 3]),
                               "units": st.none() | st.integers(-2, 20), "activation": JSON, "use_bias": JSON})
SOME_ARRAYS = st.dictionaries(st.sampled_from([f"model/{i}" for i in range(5)] + ["normalize"]),
                              arrays(st.sampled_from([np.float32, np.float64, np.int64, np.uint8, np.bool_]),
                                     array_shapes(min_dims=0, max_dims=3, max_side=12)), max_size=6)


@pytest.fixture(scope="module")
def tiny_mnist(tmp_path_factory):
    rng = np.random.default_rng(0)
    path = tmp_path_factory.mktemp("tiny") / "mnist.npz"
    np.savez(path, x_test=rng.integers(0, 256, (30, 28, 28), dtype=np.uint8), y_test=rng.integers(0, 10, 30))
    return path


@FOLDER_REUSED
@given(record=st.dictionaries(st.sampled_from(RECORD_KEYS), JSON), current=st.booleans())
def test_any_record_is_read_as_the_schema_or_refused(tmp_path, record, current):
    if current:
        record["schema_version"] = SCHEMA_VERSION
    (tmp_path / "record.json").write_text(json.dumps(record))
    read = read_record(tmp_path)
    assert read == {} or (read["schema_version"] == SCHEMA_VERSION and isinstance(read["probes"], dict))


@FOLDER_REUSED
@given(data=st.binary(max_size=3000))
def test_any_bytes_in_place_of_the_exports_are_refused_quietly(tmp_path, data):
    for name in ("record.json", "probes.json", "arrays.npz"):
        (tmp_path / name).write_bytes(data)
    assert read_record(tmp_path) == {} and read_probes(tmp_path) == {}
    assert isinstance(read_arrays(tmp_path, 1 << 20), dict)


@FOLDER_REUSED
@given(layers=st.lists(LAYER, max_size=6), weights=st.integers(-1, 8), stored=SOME_ARRAYS, cut=st.integers(0, 400))
def test_the_evaluator_measures_or_refuses_any_exported_network(tmp_path, tiny_mnist, layers, weights, stored, cut):
    record = {"schema_version": SCHEMA_VERSION, "final": {"model": {"layers": layers, "weights": weights}}}
    (tmp_path / "record.json").write_text(json.dumps(record))
    buffer = io.BytesIO()
    np.savez(buffer, **stored)
    (tmp_path / "arrays.npz").write_bytes(buffer.getvalue()[: len(buffer.getvalue()) - cut])
    outcome = evaluate(tmp_path, tiny_mnist, seed=1, key=2, unpacked_limit=1 << 20)
    assert ("rejected" in outcome) != ("test_accuracy" in outcome)
    assert "rejected" in outcome or 0.0 <= outcome["test_accuracy"] <= 1.0


@pytest.fixture(scope="module")
def release(settings):
    return notebooks.read(settings.release_notebook)


@st.composite
def damaged(draw, release):
    """The release with cells deleted, duplicated, moved, retyped, or their nbgrader metadata replaced."""
    nb = copy.deepcopy(release)
    for _ in range(draw(st.integers(0, 6))):
        index = draw(st.integers(0, len(nb.cells) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "move", "metadata", "retype", "edit"]))
        cell = nb.cells[index]
        if action == "delete" and len(nb.cells) > 1:
            del nb.cells[index]
        elif action == "duplicate":
            nb.cells.insert(draw(st.integers(0, len(nb.cells))), copy.deepcopy(cell))
        elif action == "move":
            nb.cells.insert(draw(st.integers(0, len(nb.cells) - 1)), nb.cells.pop(index))
        elif action == "metadata":
            cell.metadata["nbgrader"] = draw(JSON)
        elif action == "retype" and cell.cell_type == "code":
            cell.cell_type, cell.source = "markdown", cell.source
            cell.pop("outputs", None), cell.pop("execution_count", None)
        elif action == "edit":
            cell.source = draw(st.text(max_size=40))
    return nb


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_intake_always_gives_back_every_protected_cell_as_released(release, data):
    nb = data.draw(damaged(release))
    restored = restore_protected_cells(nb, release).notebook
    for cell in release.cells:
        meta = notebooks.nbgrader_meta(cell)
        if meta.get("locked") or notebooks.is_self_check(cell):
            copies = [c for c in restored.cells if notebooks.grade_id(c) == meta["grade_id"]]
            assert len(copies) == 1 and visible(copies[0].source) == visible(cell.source)
            assert copies[0].cell_type == cell.cell_type


def test_a_zip_is_not_mistaken_for_arrays_when_it_holds_a_pickle(tmp_path):
    with zipfile.ZipFile(tmp_path / "arrays.npz", "w") as bundle:
        bundle.writestr("x.npy", b"\x93NUMPY\x01\x00v\x00{'descr': '|O', 'fortran_order': False, 'shape': (1,), }"
                        + b" " * 43 + b"\n" + b"\x80\x04K\x01.")
    assert read_arrays(tmp_path, 1 << 20) == {}
