"""Submissions graded per minute: the local pool, and a Dask cluster of 1 and 2 workers on this
machine (distributed.LocalCluster: a scheduler and one-thread worker processes), on full MNIST.

    MNIST_PATH=... .venv/bin/python bench/dask_throughput.py [N]

Each row grades N copies of the reference solution afresh (4 by default) and prints the wall time
and submissions per minute; the last line projects N workers from the 1-worker rate. Last run
(2026-11-26, 2 cores): local pool of 2, 5.10 a minute; Dask with 1 worker, 2.76; with 2 workers
sharing the 2 cores, 4.12 (75% of 2×).
"""

import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from distributed import LocalCluster

from autograder.course import notebooks
from autograder.data.mnist import find_mnist
from autograder.grading.class_grading import grade_class
from autograder.grading.cores import CoreSlots
from autograder.grading.on_dask import grade_on_dask
from autograder.grading.submission import Grading
from autograder.settings import Settings
from autograder.submissions.collect import Submission


def the_class(folder: Path, size: int, settings: Settings) -> list[Submission]:
    """`size` copies of the reference, each a file of its own content (a cell of its own at the end)."""
    submissions = []
    for number in range(size):
        nb = notebooks.read(settings.solutions_dir / f"{settings.assignment}.ipynb")
        nb.cells.append(nbformat.v4.new_markdown_cell(f"copy {number}"))
        path = folder / f"student{number}.ipynb"
        notebooks.write(nb, path)
        submissions.append(Submission(f"student{number}", path))
    return submissions


def grading(folder: Path, workers: int) -> Grading:
    settings = Settings(results_root=folder)
    return Grading(settings, find_mnist(settings), notebooks.read(settings.release_notebook), b"b" * 32,
                   CoreSlots(workers))


def timed(name: str, size: int, grade) -> float:
    started = time.monotonic()
    results = grade()
    seconds = time.monotonic() - started
    assert len(results) == size and all(result.problem is None for result in results), results
    print(f"{name:28} {seconds:7.1f} s {60 * size / seconds:6.2f} submissions/min", flush=True)
    return 60 * size / seconds


def main(size: int) -> None:
    settings = Settings()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        submissions = the_class(scratch, size, settings)
        timed(f"local pool, {cores} workers", size,
              lambda: grade_class(submissions, grading(scratch / "local", cores), cores))
        rates = {}
        for workers in range(1, cores + 1):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
                rates[workers] = timed(f"Dask, {workers} local worker(s)", size, lambda: grade_on_dask(
                    submissions, grading(scratch / f"dask{workers}", 1), cluster.scheduler_address))
    print(f"\n{size} copies of the reference, full MNIST, {cores} cores (a Dask worker's run uses every core it "
          f"sees). Projection: N workers, each on a machine like this one, grade about {rates[1]:.1f}·N submissions "
          f"a minute ({rates[1] * 60:.0f}·N an hour); {cores} workers sharing this machine reached "
          f"{rates[cores] / (cores * rates[1]):.0%} of {cores}×.")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 4)
