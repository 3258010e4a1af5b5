"""A submission runs sandboxed and comes back as data, whatever it does."""

import pytest
from fixtures.submissions import HOSTILE, edited, reads

from autograder import sandbox
from autograder.run import run_submission, training_split
from autograder.sandbox import Limits
from autograder.settings import Settings

pytestmark = pytest.mark.skipif(not all(sandbox.defences().values()), reason="needs root, namespaces and cgroups")


@pytest.fixture(scope="module")
def train_only(small_mnist, tmp_path_factory):
    return training_split(small_mnist, tmp_path_factory.mktemp("split"))


@pytest.fixture
def run(tmp_path):
    return lambda nb, data, **limits: run_submission(nb, data, Settings(limits=Limits(**limits)), 11, tmp_path / "run")


def cell_error(result, cell_id):
    return next(cell["error"] for cell in result.record["cells"] if cell["id"] == cell_id)


@pytest.fixture(scope="module")
def reference_run(reference_nb, train_only, tmp_path_factory):
    return run_submission(reference_nb, train_only, Settings(), 11, tmp_path_factory.mktemp("reference"))


def test_reference_runs_to_the_end_without_errors(reference_run):
    assert reference_run.record["finished"] is True
    assert [cell["id"] for cell in reference_run.record["cells"] if cell["error"]] == []


def test_every_step_function_is_probed(reference_run):
    probes = reference_run.record["probes"]
    assert len(probes) == 12 and [name for name, probe in probes.items() if "error" in probe] == []


def test_trained_weights_and_the_real_fit_call_are_exported(reference_run):
    assert [reference_run.arrays[f"model/{i}"].shape for i in range(6)] == [
        (784, 128), (128,), (128, 64), (64,), (64, 10), (10,)]
    assert reference_run.record["fit_calls"][0]["epochs"] == 10


def test_sandbox_sees_no_test_split_only_a_stand_in(reference_run, train_only):
    assert reference_run.record["fit_calls"][0]["x_shape"][0] == 6000  # the small training slice
    assert "test_accuracy" in reference_run.record["final"]


def test_no_check_cell_enters_the_sandbox(reference_run):
    assert not [cell["id"] for cell in reference_run.record["cells"] if cell["id"].startswith("check_")]


def test_endless_loop_is_stopped_and_the_cells_before_it_are_kept(reference_nb, train_only, run):
    result = run(edited(reference_nb, *HOSTILE["loops_forever"]), train_only, wall_seconds=20)
    assert result.outcome.timed_out
    assert "normalize" in result.record["probes"] and "finished" not in result.record


def test_memory_exhaustion_is_recorded(reference_nb, train_only, run):
    result = run(edited(reference_nb, *HOSTILE["exhausts_memory"]), train_only, memory_bytes=1 << 30)
    assert result.outcome.out_of_memory and "normalize" in result.record["probes"]


def test_os_exit_ends_the_run_but_keeps_what_was_exported(reference_nb, train_only, run):
    result = run(edited(reference_nb, *HOSTILE["calls_os_exit"]), train_only)
    assert result.outcome.exit_code == 3
    assert "build_model" in result.record["probes"] and "finished" not in result.record


def test_sys_exit_is_an_error_in_its_cell_and_the_run_goes_on(reference_nb, train_only, run):
    result = run(edited(reference_nb, *HOSTILE["calls_sys_exit"]), train_only)
    assert result.record["finished"] is True
    assert cell_error(result, "label_encoding").startswith("SystemExit")


@pytest.mark.parametrize("target", ["solutions/mnist_ann/reference.py", "MNIST"])
def test_files_outside_the_workdir_cannot_be_read(reference_nb, train_only, run, settings, mnist, target):
    path = mnist if target == "MNIST" else settings.course_root / target
    result = run(edited(reference_nb, reads(path)), train_only)
    assert cell_error(result, "label_encoding").startswith(("FileNotFoundError", "PermissionError"))
