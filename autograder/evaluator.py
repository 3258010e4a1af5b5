"""The grader's own measurements, in a fresh process that never calls student code.

`python -I -m autograder.evaluator RUN_DIR MNIST SEED` reads a run's exported
record and arrays, rebuilds the network from its layer list through an allow-list,
and measures the test accuracy with a NumPy forward pass on the real test split.
It also computes the reference solution's answers to the run's probe inputs.
It writes RUN_DIR/evaluation.json and RUN_DIR/expected.npz.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from .harness import probe_inputs
from .records import read_arrays, read_record

ACTIVATIONS = {
    "relu": lambda z: np.maximum(z, 0.0),
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": np.tanh,
    "linear": lambda z: z,
    "softmax": lambda z: np.exp(z - z.max(axis=1, keepdims=True)),  # normalising does not change argmax
}
SHAPE_ONLY_LAYERS = {"Flatten", "InputLayer", "Dropout"}


class Rejected(Exception):
    """The exported network cannot be evaluated; the message says why."""


def dense_stack(model: dict, arrays: dict[str, np.ndarray]) -> list[tuple[np.ndarray, np.ndarray, str]]:
    """(kernel, bias, activation) per Dense layer, after checking every layer and weight."""
    weights = [arrays.get(f"model/{index}") for index in range(min(int(model.get("weights", 0)), len(arrays)))]
    stack, cursor = [], 0
    for layer in model.get("layers", []):
        if layer["class"] in SHAPE_ONLY_LAYERS:
            continue
        if layer["class"] != "Dense" or layer["activation"] not in ACTIVATIONS:
            raise Rejected(f"the network has a {layer['class']} layer with activation {layer['activation']!r}; "
                           "only Flatten and Dense layers with standard activations can be evaluated")
        kernel = weights[cursor] if cursor < len(weights) else None
        bias = weights[cursor + 1] if layer.get("use_bias") and cursor + 1 < len(weights) else None
        cursor += 2 if layer.get("use_bias") else 1
        if kernel is None or kernel.ndim != 2 or (layer.get("use_bias") and bias is None):
            raise Rejected("the exported weights do not match the layers")
        bias = np.zeros(kernel.shape[1], np.float32) if bias is None else bias
        stack.append((kernel.astype(np.float32), bias.astype(np.float32), layer["activation"]))
    for (kernel, _, _), (following, _, _) in zip(stack, stack[1:]):
        if kernel.shape[1] != following.shape[0]:
            raise Rejected("the layers' weight shapes do not chain")
    if not stack or stack[-1][0].shape[1] != 10:
        raise Rejected("the network does not end in 10 outputs")
    if not all(np.isfinite(k).all() and np.isfinite(b).all() for k, b, _ in stack):
        raise Rejected("the trained weights contain NaN or infinite values")
    return stack


def input_scaling(record: dict, arrays: dict[str, np.ndarray], probe_images: np.ndarray) -> tuple[float, float]:
    """The a, b of the student's normalize() as an affine map, so the test images are fed as in training."""
    scaled = arrays.get("normalize")
    if scaled is None or scaled.shape != probe_images.shape or not np.isfinite(scaled).all():
        return 1 / 255.0, 0.0
    a, b = np.polyfit(probe_images.ravel().astype(float), scaled.ravel().astype(float), 1)
    return float(a), float(b)


def accuracy(stack, images: np.ndarray, labels: np.ndarray, scaling: tuple[float, float]) -> float:
    a, b = scaling
    activations = images.reshape(len(images), -1).astype(np.float32) * a + b
    if activations.shape[1] != stack[0][0].shape[0]:
        raise Rejected(f"the first layer expects {stack[0][0].shape[0]} inputs, not {activations.shape[1]}")
    for kernel, bias, activation in stack:
        activations = ACTIVATIONS[activation](activations @ kernel + bias)
    return float((activations.argmax(axis=1) == labels).mean())


def evaluate(run_dir: Path, mnist: Path, reference_path: Path, seed: int) -> dict:
    record, arrays = read_record(run_dir), read_arrays(run_dir)
    inputs = probe_inputs(seed)
    np.savez(run_dir / "expected.npz", **reference_answers(reference_path, inputs))
    result = {"seed": seed}
    model = record.get("final", {}).get("model")
    try:
        if not isinstance(model, dict) or "layers" not in model:
            raise Rejected("the notebook produced no trained model")
        with np.load(mnist, allow_pickle=False) as data:
            x_test, y_test = data["x_test"], data["y_test"]
        scaling = input_scaling(record, arrays, inputs["images"])
        result["test_accuracy"] = accuracy(dense_stack(model, arrays), x_test, y_test, scaling)
        result["input_scaling"] = list(scaling)
    except Rejected as reason:
        result["rejected"] = str(reason)
    except Exception as error:  # the record is the student's: a malformed one is rejected, never trusted
        result["rejected"] = f"the exported model could not be read ({type(error).__name__})"
    return result


def reference_answers(reference_path: Path, inputs: dict) -> dict[str, np.ndarray]:
    """The trusted reference's outputs for the same probe inputs."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("reference_solution", reference_path)
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    cm = np.zeros((10, 10), dtype=int)
    np.add.at(cm, (inputs["truth"], inputs["guess"]), 1)
    logits = inputs["eval_x"] @ inputs["eval_kernel"] + inputs["eval_bias"]
    probabilities = np.exp(logits - logits.max(1, keepdims=True))
    probabilities /= probabilities.sum(1, keepdims=True)
    return {
        "normalize": reference.normalize(inputs["images"]),
        "flatten": reference.flatten(inputs["flat_images"]),
        "one_hot": np.asarray(reference.one_hot(inputs["labels"])),
        "confusion_matrix_of": cm,
        "softmax": reference.softmax(inputs["scores"]),
        "evaluate_model": np.array([
            -np.log(probabilities[np.arange(len(probabilities)), inputs["eval_y"]]).mean(),
            (probabilities.argmax(1) == inputs["eval_y"]).mean()]),
    }


def evaluate_in_fresh_process(run_dir: Path, mnist: Path, reference_path: Path, seed: int) -> dict:
    """Run this module as `python -I` with a clean environment; return evaluation.json."""
    command = [sys.executable, "-I", "-m", "autograder.evaluator", str(run_dir), str(mnist), str(reference_path),
               str(seed)]
    for stale in ("evaluation.json", "expected.npz"):  # never let a previous submission's figures stand
        (run_dir / stale).unlink(missing_ok=True)
    environment = {"PATH": os.defpath, "TF_CPP_MIN_LOG_LEVEL": "3", "HOME": str(run_dir)}
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, env=environment,
                          start_new_session=True)  # a terminal's Ctrl-C is the grader's to handle
    if done.returncode != 0:
        return {"seed": seed, "rejected": f"the evaluator failed: {done.stderr.strip()[-300:]}"}
    return json.loads((run_dir / "evaluation.json").read_text())


if __name__ == "__main__":
    run_dir = Path(sys.argv[1])
    outcome = evaluate(run_dir, Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))
    (run_dir / "evaluation.json").write_text(json.dumps(outcome))
