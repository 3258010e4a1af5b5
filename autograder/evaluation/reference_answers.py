"""The reference solution's answers to a run's probe inputs: its own functions, asked by
the very probes that ask the student's (sandbox/inside/probes.py).

Asking them costs a Keras import, so it is done once for a whole class, in one fresh process
(`python -I -m autograder.evaluation.reference_answers REFERENCE FOLDER SEED...`), and kept
in FOLDER under the reference's content and the seed: a changed reference is asked again.
"""

import hashlib
import os
import sys
from pathlib import Path

import numpy as np

from ..course.files import load_module, write_atomically
from ..data.mnist import save_npz
from ..errors import KitError
from ..sandbox.confinement import run_limited
from ..sandbox.inside.probe_inputs import probe_inputs
from ..sandbox.inside.probes import PROBES
from ..settings import Limits

ARRAY_STEPS = ("normalize", "flatten", "one_hot", "confusion_matrix_of", "softmax")


class Answers:
    """Where the probes put the arrays they are given (the role the run's record plays inside)."""

    def __init__(self):
        self.arrays: dict[str, np.ndarray] = {}


def reference_answers(reference, inputs: dict) -> dict[str, np.ndarray]:
    answers = Answers()
    for step in ARRAY_STEPS:
        PROBES[step](getattr(reference, step), inputs, answers)
    evaluated = PROBES["evaluate_model"](reference.evaluate_model, inputs, answers)
    return {**answers.arrays, "evaluate_model": np.asarray(evaluated["values"], dtype=float)}


def answers_file(folder: Path, reference_path: Path, seed: int) -> Path:
    digest = hashlib.sha256(reference_path.read_bytes()).hexdigest()[:16]
    return folder / f"{digest}-{seed}.npz"


def prepare_answers(folder: Path, reference_path: Path, seeds: list[int], limits: Limits) -> None:
    """Ask the reference, in one fresh limited process, for its answers to every seed not asked yet."""
    missing = [seed for seed in dict.fromkeys(seeds) if not answers_file(folder, reference_path, seed).is_file()]
    if not missing:
        return
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)  # the grader's alone: a run without namespaces must not read the answers it is held to
    command = [sys.executable, "-I", "-m", __name__, str(reference_path), str(folder), *map(str, missing)]
    environment = {"PATH": os.defpath, "TF_CPP_MIN_LOG_LEVEL": "3", "HOME": str(folder)}
    log = f"asked-{missing[0]}.log"
    done = run_limited(command, folder, log, limits, limits.evaluator_memory_bytes, limits.evaluator_seconds, environment)
    (folder / log).unlink()
    if done.exit_code != 0 or done.limits_hit:
        raise KitError(f"The reference solution {reference_path} could not answer the probes "
                       f"({'; '.join(done.limits_hit) or done.output_tail.strip()[-500:]}): run `make test` on it.")


def main(reference_path: Path, folder: Path, seeds: list[int]) -> None:
    reference = load_module(reference_path, "reference_solution")
    for seed in seeds:
        answers = reference_answers(reference, probe_inputs(seed))
        write_atomically(answers_file(folder, reference_path, seed), lambda partial: save_npz(partial, answers))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), [int(seed) for seed in sys.argv[3:]])
