"""Grading on a Dask cluster: a real scheduler and two workers on this machine give the records the
local pool gives, and a worker killed mid-run loses or duplicates no record."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import mnist_slice
from markers import needs_sandbox
from fixtures.submissions import MISTAKES, edited

from autograder.course import notebooks
from autograder.grading.class_grading import grade_class
from autograder.grading.cores import CoreSlots
from autograder.grading.on_dask import grade_on_dask
from autograder.grading.result import stored_results
from autograder.grading.submission import Grading
from autograder.sandbox.leftovers import clear_leftovers
from autograder.settings import GiB, Limits, Settings
from autograder.submissions.collect import Submission

distributed = pytest.importorskip("distributed")
pytestmark = needs_sandbox
LIMITS = Limits(cpu_seconds=120, memory_bytes=2 * GiB)
# The workers grade on a 1,500-image slice of MNIST, which is not the verified original.
WORKER = ("import sys, autograder.data.mnist as mnist; mnist.verified = lambda path: path; "
          "from distributed.cli.dask_worker import main; sys.argv[0] = 'dask-worker'; sys.exit(main())")


@pytest.fixture(scope="module")
def cluster(mnist, tmp_path_factory):
    """`dask scheduler` and two `dask worker`s (one thread each, no nanny), on localhost."""
    folder = tmp_path_factory.mktemp("dask")
    scheduler_file = folder / "scheduler.json"
    environment = {**os.environ, "MNIST_PATH": str(mnist_slice(mnist, folder / "slice.npz", 1500))}
    processes = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                   "--port", "0", "--dashboard-address", ":0", "--scheduler-file", str(scheduler_file)],
                                  env=environment, stderr=subprocess.DEVNULL)]
    deadline = time.monotonic() + 120
    while not scheduler_file.is_file() and time.monotonic() < deadline and processes[0].poll() is None:
        time.sleep(0.2)
    processes += [subprocess.Popen([sys.executable, "-c", WORKER, "--scheduler-file", str(scheduler_file), "--nthreads",
                                    "1", "--no-nanny", "--dashboard-address", ":0", "--host", "127.0.0.1"],
                                   env=environment, stderr=subprocess.DEVNULL) for _ in range(2)]
    with distributed.Client(scheduler_file=str(scheduler_file)) as client:
        client.wait_for_workers(2, timeout=180)
        address = client.scheduler.address
    yield address, Path(environment["MNIST_PATH"])
    for process in processes:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def the_class(reference_nb, settings, tmp_path_factory) -> list[Submission]:
    folder = tmp_path_factory.mktemp("class")
    blank = notebooks.read(settings.release_notebook)
    by_student = {"ada": reference_nb, "ben": edited(reference_nb, MISTAKES["sgd_optimizer"].edit), "cy": blank}
    for student, nb in by_student.items():
        notebooks.write(nb, folder / f"{student}.ipynb")
    return [Submission(student, folder / f"{student}.ipynb") for student in by_student]


def grading_into(folder, data) -> Grading:
    settings = Settings(results_root=folder, limits=LIMITS)
    return Grading(settings, data, notebooks.read(settings.release_notebook), b"d" * 32, CoreSlots(2))


def verdicts(results) -> dict:
    return {r.student: (r.score, r.problem, sorted((c.check, c.passed) for c in r.checks)) for r in results}


def test_a_class_graded_on_dask_gets_the_records_the_local_pool_gives(cluster, the_class, tmp_path):
    address, data = cluster
    on_dask = grade_on_dask(the_class, grading_into(tmp_path / "dask", data), address)
    here = grade_class(the_class, grading_into(tmp_path / "here", data), workers=2)
    assert verdicts(on_dask) == verdicts(here)
    assert [r.score for r in on_dask] == sorted([r.score for r in on_dask], reverse=True)  # ada > ben > cy
    stored, damaged = stored_results(tmp_path / "dask" / "mnist_ann")
    assert damaged == [] and verdicts(stored) == verdicts(on_dask)
    assert all((tmp_path / "dask" / "mnist_ann" / r.student / "run" / "record.json").is_file() for r in on_dask[:2])
    again = grade_on_dask(the_class, grading_into(tmp_path / "dask", data), address)  # cached: nothing sent
    assert [r.seconds for r in again] == [r.seconds for r in on_dask]


def test_a_worker_killed_mid_run_loses_and_duplicates_no_record(cluster, the_class, tmp_path):
    address, data = cluster
    written = []
    grading = threading.Thread(target=grade_on_dask, args=(the_class, grading_into(tmp_path, data), address),
                               kwargs={"on_result": written.append})
    grading.start()
    with distributed.Client(address) as client:
        while not any(client.processing().values()):
            time.sleep(0.5)
        time.sleep(3)  # into the run
        busy = next(worker for worker, tasks in client.processing().items() if tasks)
        os.kill(client.run(os.getpid, workers=[busy])[busy], signal.SIGKILL)
        grading.join(timeout=900)
        assert list(client.scheduler_info()["workers"]) != [busy] and len(client.scheduler_info()["workers"]) == 1
    assert sorted(r.student for r in written) == ["ada", "ben", "cy"]  # each once, as it finished
    stored, damaged = stored_results(tmp_path / "mnist_ann")
    assert damaged == [] and sorted(r.student for r in stored) == ["ada", "ben", "cy"]
    assert all(r.problem is None for r in stored), [r.problem for r in stored]
    if os.geteuid() == 0:
        clear_leftovers()  # the killed worker's mounts and cgroups, as its successor would
