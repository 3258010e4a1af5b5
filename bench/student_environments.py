"""How the solved notebook runs where students work: each environment of tests/environments.py
and the kit's own, on full MNIST, as Restart & Run All. Prints the versions, the self-check
outcome and the training cell's time (from nbclient's cell timings).

    MNIST_PATH=... .venv/bin/python bench/student_environments.py
"""

import copy
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "tests")]

from environments import ENVIRONMENTS, built, kernel_spec  # noqa: E402

from autograder.authoring.trusted_run import execute, self_check_outcomes  # noqa: E402
from autograder.course import notebooks  # noqa: E402
from autograder.data.mnist import find_mnist  # noqa: E402
from autograder.settings import Settings  # noqa: E402

VERSIONS = ("import importlib.metadata as m, os\n"
            "names = {d.metadata['Name'].lower().replace('_', '-'): d.version for d in m.distributions()}\n"
            "print(', '.join(f'{p} {names[p]}' for p in ('keras', 'tensorflow', 'tensorflow-cpu', 'jax') if p in names))")


def seconds(cell) -> float:
    timing = cell.metadata.get("execution", {})
    started, ended = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    parse = lambda stamp: datetime.fromisoformat(stamp.replace("Z", "+00:00"))  # noqa: E731
    return (parse(ended) - parse(started)).total_seconds() if started and ended else float("nan")


def main() -> None:
    settings = Settings()
    mnist = find_mnist(settings)
    solved = notebooks.read(settings.solutions_dir / f"{settings.assignment}.ipynb")
    solved.cells.insert(0, notebooks.nbformat.v4.new_code_cell(VERSIONS))
    with tempfile.TemporaryDirectory() as scratch:
        kernels = {"kit (pinned)": "python3"}
        for name, environment in ENVIRONMENTS.items():
            kernels[name] = kernel_spec(built(environment), Path(scratch))
        os.environ["JUPYTER_PATH"] = scratch
        print(f"{'environment':16} {'versions':52} {'self-checks':12} {'training':>9} {'whole run':>9}")
        for name, kernel in kernels.items():
            started = time.monotonic()
            executed = execute(copy.deepcopy(solved), Path(scratch), {"MNIST_PATH": str(mnist)},
                               settings.notebook_timeout, kernel_name=kernel)
            total = time.monotonic() - started
            outcomes = self_check_outcomes(executed)
            versions = "".join(out.get("text", "") for out in executed.cells[0].outputs).strip()
            passed = f"{sum(o.passed for o in outcomes.values())}/{len(outcomes)}"
            train = seconds(notebooks.cell_by_id(executed, "run_train_model"))
            print(f"{name:16} {versions:52} {passed:12} {train:8.1f}s {total:8.1f}s", flush=True)
    print(f"\n{os.cpu_count()} cores, {datetime.now():%Y-%m-%d}")


if __name__ == "__main__":
    main()
