"""How far below the threshold do the common mistakes land? Full MNIST, one run each.

Runs the reference notebook and every mistake fixture (tests/fixtures/submissions.py)
in a fresh kernel, side by side in this run, and prints each one's test accuracy
against the derived threshold. Usage: MNIST_PATH=... python bench/mistake_accuracy.py
"""

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fixtures.submissions import MISTAKES, edited  # noqa: E402

from autograder.course import notebooks  # noqa: E402
from autograder.authoring.trusted_run import execute  # noqa: E402
from autograder.data.mnist import find_mnist  # noqa: E402
from autograder.settings import Settings  # noqa: E402


def accuracy_line(nb, mnist: Path, settings: Settings) -> str:
    with tempfile.TemporaryDirectory() as workdir:
        execute(nb, Path(workdir), {"MNIST_PATH": str(mnist)}, settings.notebook_timeout)
    cell = notebooks.cell_by_id(nb, "run_evaluate_model")
    printed = "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream").strip()
    return printed or "no accuracy (the run stopped before evaluation)"


def main() -> None:
    settings = Settings()
    mnist = find_mnist(settings)
    threshold = json.loads((settings.solutions_dir / "expectations.json").read_text())["min_test_accuracy"]
    reference = notebooks.read(settings.solutions_dir / f"{settings.assignment}.ipynb")
    print(f"threshold {threshold:.0%}")
    for name, nb in [("reference", reference)] + [(n, edited(reference, m.edit)) for n, m in sorted(MISTAKES.items())]:
        started = time.perf_counter()
        print(f"{name:24s} {accuracy_line(nb, mnist, settings)}  ({time.perf_counter() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
