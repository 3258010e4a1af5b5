"""Derive what the grader and the self-checks expect from the reference solution.

Nothing here restates the assignment: layer sizes, activations, parameter count,
optimizer and fit settings are read off the reference's own objects, and the
accuracy threshold comes from measured runs of it (accuracy_runs.json). Only the
kit's policies are written here: which loss goes with which labels, which metric
names mean accuracy, and the margin below the worst measured run.
"""

import json
import math

from ..course import notebooks
from ..course.files import write_text_atomically
from ..sandbox.inside.probes import probe_train_model
from ..settings import Settings
from . import reference
from .check_listing import write_check_listings
from .compile_settings import setting_name
from .measure import RUNS_FILE

EXPECTATIONS_FILE = "expectations.json"
# Both consistent label/loss pairs are correct; a mismatched pair is a mistake.
LOSS_FOR_ENCODING = {"one_hot": "categorical_crossentropy", "integer": "sparse_categorical_crossentropy"}
ACCURACY_METRICS = ["accuracy", "acc", "categorical_accuracy", "sparse_categorical_accuracy"]
# Below the worst of the measured reference runs, rounded down to a whole percent.
ACCURACY_MARGIN = 0.01
SPEC_CELL = "spec"
SPEC_HEADER = ("#@title What the self-checks expect (run it; no need to read it)\n"
               "# Instructors: `python -m autograder derive` writes this cell from the reference solution;\n"
               "# do not edit it by hand.\n")


def refresh(settings: Settings, catalogue: dict[str, list[tuple[str, float]]]) -> None:
    """Rewrite solutions/, the SPEC cell and the check cells' listings of the grader's checks
    (`catalogue`, checks/catalogue.py); each step reads what the one before wrote."""
    reference.write_module(settings)
    write_expectations(settings, derive(settings))
    write_check_listings(settings, catalogue)
    reference.write_notebook(settings)  # after the SPEC cell and the listings, which it contains


def derive(settings: Settings) -> dict:
    """Everything the checks compare against, as plain JSON-ready data."""
    import keras

    solution = reference.load_reference(settings)
    model = solution.build_model()
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    declared = list(model.input_shape[1:])
    compiled = solution.compile_model(solution.build_model()).get_compile_config()
    loss = setting_name(compiled["loss"])
    if LOSS_FOR_ENCODING.get(solution.LABEL_ENCODING) != loss:
        raise ValueError(f"the reference pairs {solution.LABEL_ENCODING} labels with {loss}: fix the source notebook")
    return {
        "assignment": settings.assignment,
        "input_shapes": [declared] if declared == [math.prod(declared)] else [declared, [math.prod(declared)]],
        "dense_units": [layer.units for layer in dense],
        "dense_activations": [layer.activation.__name__ for layer in dense],
        "parameter_count": model.count_params(),
        "optimizer": setting_name(compiled["optimizer"]).lower(),
        "loss_for_encoding": LOSS_FOR_ENCODING,
        "accuracy_metrics": ACCURACY_METRICS,
        "fit": fit_settings(solution.train_model),
        **accuracy_threshold(settings),
        "self_checks": self_check_points(settings),
    }


def self_check_points(settings: Settings) -> dict[str, float]:
    """Each self-check cell's points, in notebook order: the summary cell lists them."""
    return {notebooks.grade_id(cell): notebooks.nbgrader_meta(cell)["points"]
            for cell in notebooks.read(settings.source_notebook).cells if notebooks.is_self_check(cell)}


def fit_settings(train_model) -> dict:
    """The epochs, batch size and validation split that `train_model` passes to fit,
    recorded by the very probe that records a student's."""
    (call,) = probe_train_model(train_model, {}, None)["calls"]
    return {key: call[key] for key in ("epochs", "batch_size", "validation_split")}


def accuracy_threshold(settings: Settings) -> dict:
    """The minimum test accuracy: the worst measured reference run less the margin."""
    runs_path = settings.solutions_dir / RUNS_FILE
    if not runs_path.is_file():
        raise FileNotFoundError(f"{runs_path} is missing: run `python -m autograder measure` first")
    accuracies = [run["test_accuracy"] for run in json.loads(runs_path.read_text())["runs"]]
    threshold = math.floor((min(accuracies) - ACCURACY_MARGIN) * 100) / 100
    return {"min_test_accuracy": threshold,
            "threshold_basis": {"runs": len(accuracies), "worst": min(accuracies), "best": max(accuracies),
                                "margin": ACCURACY_MARGIN}}


def spec_cell_source(expectations: dict) -> str:
    """The notebook's SPEC cell: what the public self-checks need, nothing more."""
    public = {key: value for key, value in expectations.items() if key not in ("assignment", "threshold_basis")}
    lines = "".join(f"    {json.dumps(key)}: {json.dumps(value)},\n" for key, value in public.items())
    return SPEC_HEADER + "SPEC = {\n" + lines + "}\n"


def write_expectations(settings: Settings, expectations: dict) -> None:
    """Store the expectations beside the reference, and refresh the source notebook's SPEC cell."""
    write_text_atomically(settings.solutions_dir / EXPECTATIONS_FILE, json.dumps(expectations, indent=2) + "\n")
    source = notebooks.read(settings.source_notebook)
    cell = notebooks.cell_by_id(source, SPEC_CELL)
    if cell.source != spec_cell_source(expectations):
        cell.source = spec_cell_source(expectations)
        notebooks.write(source, settings.source_notebook)
