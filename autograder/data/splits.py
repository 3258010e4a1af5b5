"""What each side may see of MNIST: a sandboxed run gets the training images only;
the grader's own evaluation gets the real test split."""

from pathlib import Path

import numpy as np

from ..course.files import write_atomically
from .mnist import save_npz

STAND_IN_TEST_IMAGES = 2000


def training_split(mnist: Path, into: Path) -> Path:
    """The training images only, their last images standing in for the test split, so that
    the student's own evaluation cell still runs. Written once, read-only."""
    path = into / "train_only.npz"
    if not path.exists():
        with np.load(mnist, allow_pickle=False) as data:
            x, y = data["x_train"], data["y_train"]
            arrays = {"x_train": x, "y_train": y,
                      "x_test": x[-STAND_IN_TEST_IMAGES:], "y_test": y[-STAND_IN_TEST_IMAGES:]}

        def write(partial: Path) -> None:
            save_npz(partial, arrays)
            partial.chmod(0o444)

        write_atomically(path, write)
    return path


def test_split(mnist: Path) -> tuple[np.ndarray, np.ndarray]:
    """The real test images and labels, for the grader's evaluation only."""
    with np.load(mnist, allow_pickle=False) as data:
        return data["x_test"], data["y_test"]
