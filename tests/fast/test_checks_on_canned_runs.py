"""The checks over stored runs: each mistake fails exactly its own cell, the reference none.

The runs are real ones, canned (tests/fixtures/canned_runs.py), so this needs no
root and no training.
"""

import json
import shutil
from pathlib import Path

import pytest
from fixtures.canned_runs import FOLDER, HOSTILE_CASES
from fixtures.submissions import MISTAKES

from autograder.checks.runner import run_checks
from autograder.course.notebooks import cell_points
from autograder.settings import Limits

FAILED_CELLS = {
    "reference": set(),
    **{name: {mistake.check} for name, mistake in MISTAKES.items()},
    # SGD lands near 93 %; with mismatched labels the notebook stops before training
    "sgd_optimizer": {"check_compile_model", "check_test_accuracy"},
    "loss_mismatches_labels": {"check_labels_match_loss", "check_test_accuracy"},
    "hard_codes_results": {"check_evaluate_model", "check_confusion_matrix", "check_split_sizes"},
    "fakes_keras_accuracy": {"check_evaluate_model"},
}
# Runs whose trained network lands at the threshold (95.0 %), so that check may go either way: without
# scaling; one epoch (95.04 % and 94.74 % on two seeds); and the fake evaluate, which Keras's own fit
# calls for validation, stopping it after one epoch.
NEAR_THE_THRESHOLD = {"no_scaling", "one_epoch", "fakes_keras_accuracy"}


@pytest.fixture(scope="module")
def release_points(settings):
    from autograder.course import notebooks

    return cell_points(notebooks.read(settings.release_notebook))


def checked(case: str, settings, tmp_path) -> list[dict]:
    run_dir = shutil.copytree(FOLDER / case, tmp_path / case)
    return run_checks(run_dir, settings.solutions_dir / "expectations.json", Limits())


def test_every_case_is_canned():
    assert sorted(path.name for path in FOLDER.iterdir() if path.is_dir()) == sorted({*FAILED_CELLS, "blank"})
    assert set(HOSTILE_CASES) <= set(FAILED_CELLS)


@pytest.mark.parametrize("case", sorted(FAILED_CELLS))
def test_checks_fail_exactly_the_cells_of_the_mistake(case, settings, tmp_path):
    outcomes = checked(case, settings, tmp_path)
    failed = {outcome["cell"] for outcome in outcomes if not outcome["passed"]}
    either_way = {"check_test_accuracy"} if case in NEAR_THE_THRESHOLD else set()
    assert FAILED_CELLS[case] <= failed <= FAILED_CELLS[case] | either_way


def test_the_blank_release_fails_every_check_and_says_what_to_write(settings, tmp_path, release_points):
    outcomes = checked("blank", settings, tmp_path)
    assert [outcome["check"] for outcome in outcomes if outcome["passed"]] == []
    assert {outcome["cell"] for outcome in outcomes} == set(release_points)
    normalize = next(outcome for outcome in outcomes if outcome["cell"] == "check_normalize")
    assert normalize["message"].startswith("normalize() is not written yet")


def test_a_mistakes_message_says_how_to_fix_it(settings, tmp_path):
    outcomes = checked("sgd_optimizer", settings, tmp_path)
    (failed,) = [outcome for outcome in outcomes if outcome["cell"] == "check_compile_model" and not outcome["passed"]]
    assert "use 'adam'" in failed["message"]


def test_one_checks_session_over_several_runs_gives_each_its_own_verdicts(settings, tmp_path):
    from autograder.checks.runner import checks_of

    cases = ["reference", "sgd_optimizer", "blank"]
    folders = [shutil.copytree(FOLDER / case, tmp_path / "together" / case) for case in cases]
    together = checks_of(folders, settings.solutions_dir / "expectations.json", Limits())
    for case, folder in zip(cases, folders):
        alone = checked(case, settings, tmp_path / "alone")
        assert together[folder] == alone, case


def test_a_run_the_shared_session_could_not_finish_is_checked_on_its_own(settings, tmp_path, monkeypatch,
                                                                           release_points):
    from autograder.grading import submission
    from autograder.grading.result import Result
    from autograder.settings import Settings

    course = Settings(results_root=tmp_path / "results")  # the kit's expectations, results of its own
    for student, case in (("ann", "reference"), ("bob", "sgd_optimizer")):
        shutil.copytree(FOLDER / case, course.results_dir / student / "run")
        Result(student=student, assignment="mnist_ann", kit_version="t", content_hash="h",
               cell_points=release_points).write(course.results_dir / student / "result.json")
    monkeypatch.setattr(submission, "checks_of", lambda folders, *_: {f: RuntimeError("stopped") for f in folders})
    ann, bob = submission.rejudge_all(["ann", "bob"], course)
    assert ann.failed == [] and {check.cell for check in bob.failed} == FAILED_CELLS["sgd_optimizer"]


def test_a_course_folder_holding_a_copy_of_the_kit_is_checked_like_any_other(settings, tmp_path):
    """`cp -r` of the kit checkout as a course: `python -m autograder` there imports the copy, and the
    checks' pytest must take the same copy's conftest, not refuse it for the installed one."""
    import subprocess
    import sys

    import autograder

    course = tmp_path / "course"
    shutil.copytree(Path(autograder.__file__).parent, course / "autograder")
    run_dir = shutil.copytree(FOLDER / "reference", course / "results" / "ada" / "run")
    expectations = settings.solutions_dir / "expectations.json"
    code = ("import sys, json; from pathlib import Path; import autograder; from autograder.checks.runner import "
            "run_checks; from autograder.settings import Limits; print(autograder.__file__); "
            f"print(json.dumps(run_checks(Path({str(run_dir)!r}), Path({str(expectations)!r}), Limits())))")
    done = subprocess.run([sys.executable, "-c", code], cwd=course, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-1500:]
    imported, outcomes = done.stdout.splitlines()[-2:]
    assert imported.startswith(str(course)), "the copy was not the kit imported, so this tests nothing"
    assert all(outcome["passed"] for outcome in json.loads(outcomes) if outcome["cell"] != "check_test_accuracy")


def test_a_dropout_layer_costs_the_architectures_point_unless_the_instructor_allows_it(settings, tmp_path):
    run_dir = shutil.copytree(FOLDER / "reference", tmp_path / "dropout")
    probes = json.loads((run_dir / "probes.json").read_text())
    layers = probes["probes"]["build_model"]["model"]["layers"]
    layers.insert(2, {"class": "Dropout", "units": None, "activation": None, "use_bias": None})
    (run_dir / "probes.json").write_text(json.dumps(probes))
    expectations = settings.solutions_dir / "expectations.json"
    failed = [outcome for outcome in run_checks(run_dir, expectations, Limits()) if not outcome["passed"]]
    assert [(outcome["cell"], outcome["points"]) for outcome in failed] == [("check_build_model", 1)]
    assert "no Dropout layer" in failed[0]["message"]
    allowed = run_checks(run_dir, expectations, Limits(), ["Dropout"])
    assert [outcome for outcome in allowed if not outcome["passed"]] == []
