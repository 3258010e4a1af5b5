"""The grader's evaluation of one run, in a fresh process that never calls student code.

`python -I -m autograder.evaluation.evaluator RUN_DIR MNIST SEED KEY UNPACKED_LIMIT`
reads the run's exports and measures the exported network's test accuracy on the real
test split (its pixels in the run's order, data/splits.py), with NumPy only: RUN_DIR/evaluation.json,
which the checks read beside RUN_DIR/expected.npz, the reference's answers (reference_answers.py).
"""

import json
import os
import shutil
import sys
from pathlib import Path

from ..course.files import write_atomically, write_text_atomically
from ..data.splits import held_out_split
from ..sandbox.confinement import run_limited
from ..sandbox.exports import read_arrays, read_probe_arrays, read_record
from ..sandbox.inside.probe_inputs import probe_inputs
from ..settings import Limits
from .network import Rejected, confusion, dense_stack, input_scaling, predictions

EVALUATION, EXPECTED = "evaluation.json", "expected.npz"


def evaluate(run_dir: Path, mnist: Path, seed: int, key: int, unpacked_limit: int) -> dict:
    """{"seed", "test_accuracy", "confusion_matrix", "input_scaling"}, or {"seed", "rejected": why}."""
    record, arrays = read_record(run_dir), read_arrays(run_dir, unpacked_limit)
    scaled = read_probe_arrays(run_dir, unpacked_limit).get("normalize")
    result = {"seed": seed}
    model = record.get("final", {}).get("model")
    try:
        if not isinstance(model, dict) or "layers" not in model:
            raise Rejected("the notebook produced no trained model")
        scaling = input_scaling(scaled, probe_inputs(seed)["images"])
        images, labels = held_out_split(mnist, key)
        predicted = predictions(dense_stack(model, arrays), images, scaling)
        result["test_accuracy"] = float((predicted == labels).mean())
        result["confusion_matrix"] = confusion(labels, predicted)
        result["input_scaling"] = list(scaling)
    except Rejected as reason:
        result["rejected"] = str(reason)
    except Exception as error:  # the record is the student's: a malformed one is rejected, never trusted
        result["rejected"] = f"the exported model could not be read ({type(error).__name__})"
    return result


def main(run_dir: Path, mnist: Path, seed: int, key: int, unpacked_limit: int) -> None:
    write_text_atomically(run_dir / EVALUATION, json.dumps(evaluate(run_dir, mnist, seed, key, unpacked_limit)))


def evaluate_in_fresh_process(run_dir: Path, mnist: Path, answers: Path, seed: int, key: int, limits: Limits) -> dict:
    """Put the reference's `answers` beside the run, then run this module as `python -I` with a clean
    environment; return evaluation.json."""
    for stale in (EVALUATION, EXPECTED):  # never let a previous submission's figures stand
        (run_dir / stale).unlink(missing_ok=True)
    write_atomically(run_dir / EXPECTED, lambda partial: shutil.copyfile(answers, partial))
    command = [sys.executable, "-I", "-m", __name__, str(run_dir), str(mnist), str(seed), str(key),
               str(limits.unpacked_arrays_bytes)]
    environment = {"PATH": os.defpath, "TF_CPP_MIN_LOG_LEVEL": "3", "HOME": str(run_dir)}
    done = run_limited(command, run_dir, "evaluator.log", limits, limits.evaluator_memory_bytes,
                       limits.evaluator_seconds, environment)
    if done.exit_code != 0 or done.limits_hit:
        why = "; ".join(done.limits_hit) or done.output_tail.strip()[-300:]
        return {"seed": seed, "rejected": f"the evaluator failed on this run's exports ({why})"}
    return json.loads((run_dir / EVALUATION).read_text())


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
