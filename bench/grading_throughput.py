"""Seconds per submission and peak memory per sandbox, with 1 and with 2 workers, side by side.

Grades N copies of the reference solution (full MNIST) twice in one run, once per
worker count, each into its own results folder, and prints the figures.
Usage: MNIST_PATH=... python bench/grading_throughput.py [N]
"""

import statistics
import sys
import tempfile
import time
from pathlib import Path

from autograder.grading.class_grading import grade_class, prepare
from autograder.submissions.collect import Submission
from autograder.settings import Settings


def main(copies: int) -> None:
    settings = Settings()
    reference = settings.solutions_dir / f"{settings.assignment}.ipynb"
    submissions = [Submission(f"student{i}", reference) for i in range(copies)]
    print(f"{copies} copies of the reference, full MNIST")
    for workers in (1, 2):
        with tempfile.TemporaryDirectory() as results:
            run = settings.model_copy(update={"results_root": Path(results)})
            started = time.monotonic()
            graded = grade_class(submissions, prepare(run, workers), workers)
            wall = time.monotonic() - started
        peaks = [result.peak_memory_bytes / 2**20 for result in graded if result.peak_memory_bytes]
        stages = {stage: statistics.mean(r.seconds.get(stage, 0) for r in graded)
                  for stage in ("probes", "run", "evaluate", "checks")}
        print(f"workers={workers}: {wall:.0f} s in all, {wall / copies:.1f} s per submission; "
              f"per submission probes {stages['probes']:.1f} s, run {stages['run']:.1f} s, evaluate {stages['evaluate']:.1f} s, "
              f"checks {stages['checks']:.1f} s; "
              f"peak sandbox memory {max(peaks):.0f} MiB; scores {sorted({r.score for r in graded})}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 4)
