"""The baseline of bench/grade_class.py: the practical written as an ordinary nbgrader course,
as one would without this kit. Solutions in the cells, hidden test cells with asserts on the
data's shapes and scaling, the layers, the parameter count, the optimizer and the test accuracy,
autograded by `nbgrader autograde` with nbgrader's defaults except a cell timeout long enough
to train (its Execute step runs each notebook in a kernel of the grader's own).
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ASSIGNMENT = "mnist_plain"
CELL_TIMEOUT = 90  # seconds: training takes well under a minute

SETUP = '''import os
import numpy as np
import keras
from keras import layers
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

keras.utils.set_random_seed(42)
with np.load(os.environ["MNIST_PATH"]) as data:
    x_train_raw, y_train, x_test_raw, y_test = (data[k] for k in ("x_train", "y_train", "x_test", "y_test"))'''

STEPS = [  # (solution, hidden tests, points)
    ('''x_train = x_train_raw.astype("float32") / 255.0
x_test = x_test_raw.astype("float32") / 255.0
y_train_1h = keras.utils.to_categorical(y_train, 10)
y_test_1h = keras.utils.to_categorical(y_test, 10)''',
     '''assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
assert x_train.dtype == np.float32 and x_train.max() <= 1.0
assert y_train_1h.shape == (60000, 10)''', 2),
    ('''model = keras.Sequential([
    keras.Input(shape=(28, 28)),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),
    layers.Dense(64, activation="relu"),
    layers.Dense(10, activation="softmax"),
])''',
     '''dense = [layer for layer in model.layers if isinstance(layer, layers.Dense)]
assert [layer.units for layer in dense] == [128, 64, 10]
assert [layer.activation.__name__ for layer in dense] == ["relu", "relu", "softmax"]
assert model.count_params() == 109386''', 3),
    ('''model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])''',
     '''assert type(model.optimizer).__name__ == "Adam"''', 1),
    ('''history = model.fit(x_train, y_train_1h, epochs=10, batch_size=128, validation_split=0.1, verbose=2)
test_loss, test_accuracy = model.evaluate(x_test, y_test_1h, verbose=0)''',
     '''assert len(history.history["loss"]) == 10
assert test_accuracy >= 0.95''', 4),
    ('''figure, (left, right) = plt.subplots(1, 2)
for axes, metric in ((left, "accuracy"), (right, "loss")):
    axes.plot(history.history[metric], label="training")
    axes.plot(history.history[f"val_{metric}"], label="validation")
    axes.set_xlabel("epoch")
    axes.set_ylabel(metric)
    axes.legend()''',
     '''assert len(figure.axes) == 2 and all(len(axes.get_lines()) == 2 for axes in figure.axes)''', 1),
]


def nbgrader_meta(grade_id: str, **flags) -> dict:
    return {"nbgrader": {"grade_id": grade_id, "schema_version": 3, "locked": False, "solution": False,
                         "grade": False, **flags}}


def source_notebook() -> nbformat.NotebookNode:
    cells = [new_markdown_cell("# MNIST with a dense network (plain nbgrader)"), new_code_cell(SETUP)]
    for number, (solution, tests, points) in enumerate(STEPS, 1):
        cells.append(new_code_cell(f"### BEGIN SOLUTION\n{solution}\n### END SOLUTION",
                                   metadata=nbgrader_meta(f"step{number}", solution=True)))
        cells.append(new_code_cell(f"### BEGIN HIDDEN TESTS\n{tests}\n### END HIDDEN TESTS",
                                   metadata=nbgrader_meta(f"test{number}", grade=True, locked=True,
                                                          points=points)))
    return new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                              "language": "python"}})


def submission(edit: tuple[str, str] | None = None) -> nbformat.NotebookNode:
    """A student's notebook: the solutions written in, the test cells as released (empty), and
    `edit` (old, new) made to the solutions."""
    nb = source_notebook()
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            cell.source = "\n".join(line for line in cell.source.splitlines() if "### " not in line)
            if edit and edit[0] in cell.source:
                cell.source = cell.source.replace(*edit)
        elif meta.get("grade"):
            cell.source = ""
    return nb


def write_course(root: Path) -> Path:
    (root / "source" / ASSIGNMENT).mkdir(parents=True)
    nbformat.write(source_notebook(), root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    (root / "nbgrader_config.py").write_text(
        'c = get_config()  # noqa: F821\nc.CourseDirectory.course_id = "bench-plain"\n'
        f"c.ExecutePreprocessor.timeout = {CELL_TIMEOUT}\n")
    return root


MISTAKES = {  # the same kinds of mistake as the kit's class
    "sgd": ('optimizer="adam"', 'optimizer="sgd"'),
    "no_scaling": ('.astype("float32") / 255.0', '.astype("float32")'),
    "hangs": ('model.compile(optimizer="adam"', 'while True:\n    pass\nmodel.compile(optimizer="adam"'),
}
