"""The exported network, rebuilt from its layer list through an allow-list, and its test
accuracy measured with a NumPy forward pass. No Keras object of the student's is ever loaded."""

import numpy as np

from .architecture import IDENTITY_WHEN_TRAINED, dense_layers

ACTIVATIONS = {
    "relu": lambda z: np.maximum(z, 0.0),
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": np.tanh,
    "linear": lambda z: z,
    "softmax": lambda z: np.exp(z - z.max(axis=1, keepdims=True)),  # normalising does not change argmax
}
Layer = tuple[np.ndarray, np.ndarray, str]  # kernel, bias, activation


class Rejected(Exception):
    """The exported network cannot be evaluated; the message says why."""


def dense_stack(model: dict, arrays: dict[str, np.ndarray]) -> list[Layer]:
    """(kernel, bias, activation) per Dense layer, after checking every layer and weight's shape."""
    dense, others = dense_layers(model.get("layers", []), frozenset(IDENTITY_WHEN_TRAINED))
    unknown = [layer["activation"] for layer in dense if layer["activation"] not in ACTIVATIONS]
    if others or unknown:
        raise Rejected(f"the network has {', '.join(others + unknown)}; only Flatten and Dense layers with "
                       "standard activations can be evaluated")
    weights = [arrays.get(f"model/{index}") for index in range(min(int(model.get("weights", 0)), len(arrays)))]
    stack, cursor = [], 0
    for layer in dense:
        kernel = weights[cursor] if cursor < len(weights) else None
        bias = weights[cursor + 1] if layer["use_bias"] and cursor + 1 < len(weights) else None
        cursor += 2 if layer["use_bias"] else 1
        if kernel is None or kernel.ndim != 2 or (layer["use_bias"] and bias is None):
            raise Rejected("the exported weights do not match the layers")
        bias = np.zeros(kernel.shape[1], np.float32) if bias is None else bias
        if bias.shape != (kernel.shape[1],):
            raise Rejected(f"a layer's bias has shape {bias.shape}, not ({kernel.shape[1]},)")
        stack.append((kernel.astype(np.float32), bias.astype(np.float32), layer["activation"]))
    if cursor != len(weights):
        raise Rejected("the exported weights do not match the layers")
    for (kernel, _, _), (following, _, _) in zip(stack, stack[1:]):
        if kernel.shape[1] != following.shape[0]:
            raise Rejected("the layers' weight shapes do not chain")
    if not stack or stack[-1][0].shape[1] != 10:
        raise Rejected("the network does not end in 10 outputs")
    if not all(np.isfinite(k).all() and np.isfinite(b).all() for k, b, _ in stack):
        raise Rejected("the trained weights contain NaN or infinite values")
    return stack


def input_scaling(scaled: np.ndarray | None, probe_images: np.ndarray) -> tuple[float, float]:
    """The a, b of the student's normalize() as an affine map, so the test images are fed as in training."""
    if scaled is None or scaled.shape != probe_images.shape or not np.isfinite(scaled).all():
        return 1 / 255.0, 0.0
    a, b = np.polyfit(probe_images.ravel().astype(float), scaled.ravel().astype(float), 1)
    return float(a), float(b)


def predictions(stack: list[Layer], images: np.ndarray, scaling: tuple[float, float], batch: int = 1000) -> np.ndarray:
    """The digit each image's largest output names; `batch` images at a time, so that memory stays
    bounded however wide the layers are."""
    pixels = images.reshape(len(images), -1)
    if pixels.shape[1] != stack[0][0].shape[0]:
        raise Rejected(f"the first layer expects {stack[0][0].shape[0]} inputs, not {pixels.shape[1]}")
    predicted = np.empty(len(pixels), dtype=np.int64)
    for start in range(0, len(pixels), batch):
        activations = pixels[start:start + batch].astype(np.float32) * scaling[0] + scaling[1]
        for kernel, bias, activation in stack:
            activations = ACTIVATIONS[activation](activations @ kernel + bias)
        predicted[start:start + batch] = activations.argmax(axis=1)
    return predicted


def accuracy(stack: list[Layer], images: np.ndarray, labels: np.ndarray, scaling: tuple[float, float]) -> float:
    """The share of images whose predicted digit is their label."""
    return float((predictions(stack, images, scaling) == labels).mean())


def confusion(labels: np.ndarray, predicted: np.ndarray, classes: int = 10) -> list[list[int]]:
    """Counts of true digits (rows) against predicted ones (columns); an output beyond the digits is left out."""
    inside = predicted < classes
    counts = np.bincount(labels[inside] * classes + predicted[inside], minlength=classes * classes)
    return counts.reshape(classes, classes).tolist()
