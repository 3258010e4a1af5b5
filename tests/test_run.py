"""A submission runs sandboxed and comes back as data, whatever it does."""

import pytest
from conftest import needs_sandbox
from fixtures.submissions import HOSTILE, Edit, edited, reads

from autograder.run import run_submission, training_split
from autograder.sandbox import Limits
from autograder.settings import Settings

pytestmark = needs_sandbox


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


def test_sandbox_gets_a_stand_in_test_split_cut_from_the_training_images(reference_run, train_only):
    import numpy as np

    with np.load(train_only) as data:
        assert np.array_equal(data["x_test"], data["x_train"][-len(data["x_test"]):])
    assert "test_accuracy" in reference_run.record["final"]  # the student's own evaluation still ran


def test_a_symlinked_export_folder_is_not_followed(reference_nb, train_only, run):
    swap = Edit("label_encoding", 'LABEL_ENCODING = "one_hot"',
                'LABEL_ENCODING = "one_hot"\nimport os, shutil\nshutil.rmtree("out")\nos.symlink("/etc", "out")')
    result = run(edited(reference_nb, swap), train_only)
    assert result.record == {} and not (result.folder / "record.json").exists()


def test_a_fifo_in_place_of_the_output_log_does_not_hang_the_grader(reference_nb, train_only, run):
    fifo = Edit("label_encoding", 'LABEL_ENCODING = "one_hot"',
                'LABEL_ENCODING = "one_hot"\nimport os\nos.remove("output.log")\nos.mkfifo("output.log")')
    result = run(edited(reference_nb, fifo), train_only, wall_seconds=120)
    assert result.record["finished"] is True and "--- cell" in result.outcome.output_tail


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
