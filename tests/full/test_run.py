"""A submission runs sandboxed and comes back as data, whatever it does.

(What hostile runs cost their authors is specified in test_grading.py.)"""

import pytest
from markers import needs_sandbox
from fixtures.submissions import Edit, edited

from autograder.data.splits import training_split
from autograder.sandbox.runner import run_submission
from autograder.settings import Limits
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
    """With a probe's CPU limit above the whole run's, which then bounds each probe."""
    limits = Limits(cpu_seconds=300, probe_cpu_seconds=600)
    return run_submission(reference_nb, train_only, Settings(limits=limits), 11, tmp_path_factory.mktemp("reference"))


def test_reference_runs_to_the_end_without_errors(reference_run):
    assert reference_run.record["finished"] is True
    assert [cell["id"] for cell in reference_run.record["cells"] if cell["error"]] == []


def test_every_step_function_is_probed(reference_run):
    probes = reference_run.probes["probes"]
    assert len(probes) == 12 and [name for name, probe in probes.items() if "error" in probe] == []


def test_trained_weights_and_the_real_fit_call_are_exported(reference_run):
    assert [reference_run.arrays[f"model/{i}"].shape for i in range(6)] == [
        (784, 128), (128,), (128, 64), (64,), (64, 10), (10,)]
    assert reference_run.record["fit_calls"][0]["epochs"] == 10


def test_sandbox_gets_a_stand_in_test_split_cut_from_the_training_images(reference_run, train_only):
    import numpy as np

    with np.load(train_only) as data:
        assert np.array_equal(data["x_test"], data["x_train"][-len(data["x_test"]):])
    assert cell_error(reference_run, "run_evaluate_model") is None  # the student's own evaluation still ran


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
