"""What each step function is asked, and how its answer is written down.

Each probe calls one step function on the probe inputs and returns its answer as
plain data (arrays go into record.arrays). The student's functions are probed
inside the sandbox (probe_run.py); the reference's, in the grader, by these same
functions.
"""

import inspect

import numpy as np

from .record_format import describe_error

STEPS = ("normalize", "flatten", "one_hot", "build_model", "compile_model", "train_model", "evaluate_model",
         "plot_history", "confusion_matrix_of", "plot_confusion_matrix", "softmax", "split_sizes")


def as_array(value, record, key: str) -> dict:
    """Store `value` as an array if it is one; say what it was either way."""
    try:
        array = np.asarray(value)
        if array.dtype == object:
            raise TypeError
    except Exception:  # noqa: BLE001
        return {"type": type(value).__name__}
    record.arrays[key] = array
    return {"type": type(value).__name__, "array": key}


def probe_normalize(function, inputs, record):
    return as_array(function(inputs["images"].copy()), record, "normalize")


def probe_flatten(function, inputs, record):
    return as_array(function(inputs["flat_images"].copy()), record, "flatten")


def probe_one_hot(function, inputs, record):
    return as_array(function(inputs["labels"].copy()), record, "one_hot")


def probe_build_model(function, inputs, record):
    return {"model": describe_model(function())}


def probe_compile_model(function, inputs, record):
    import keras

    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(10, activation="softmax")])
    returned = function(model)
    return {"returns_model": returned is model, "compiled": bool(getattr(model, "compiled", False)),
            "compile_config": model.get_compile_config() if getattr(model, "compiled", False) else None}


def probe_train_model(function, inputs, record):
    import keras

    calls, history = [], keras.callbacks.History()

    class Recorder:
        def fit(self, *args, **kwargs):
            arguments = fit_arguments(keras.Model.fit, self, args, kwargs)
            calls.append({**fit_settings(arguments), "passes_data": same_values(arguments["x"], x)
                          and same_labels(arguments["y"], labels)})
            return history

        def __getattr__(self, attribute):
            calls.append({"other_method": attribute})
            raise AttributeError(attribute)

    rng = np.random.default_rng(0)
    x, labels = rng.random((20, 784), dtype=np.float32), rng.integers(0, 10, 20)
    # the labels as the notebook's LABEL_ENCODING says its run will give them
    y = labels.copy() if inputs.get("label_encoding") == "integer" else np.eye(10, dtype=np.float32)[labels]
    returned = function(Recorder(), x, y)
    return {"calls": calls, "returns_history": returned is history}


def probe_evaluate_model(function, inputs, record):
    import keras

    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(3, activation="softmax")])
    model.set_weights([inputs["eval_kernel"], inputs["eval_bias"]])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    returned = function(model, inputs["eval_x"], inputs["eval_y"])
    values = list(returned) if isinstance(returned, (tuple, list)) else None
    return {"type": type(returned).__name__,
            "values": [float(v) if isinstance(v, (int, float, np.number)) else repr(v)[:100] for v in values]
            if values is not None else None,
            "value_types": [type(v).__name__ for v in values] if values is not None else None}


def probe_plot_history(function, inputs, record):
    import keras
    import matplotlib.pyplot as plt

    history = keras.callbacks.History()
    history.history = {key: list(values) for key, values in inputs["history"].items()}
    history.epoch = list(range(4))
    figure = function(history)
    description = describe_figure(figure)
    plt.close("all")
    return description


def probe_confusion_matrix_of(function, inputs, record):
    guess = inputs["guess"]

    class KnownPredictions:
        def predict(self, x, *args, **kwargs):
            return np.eye(10, dtype="float32")[guess[: len(x)]]

        __call__ = predict

    returned = function(KnownPredictions(), np.zeros((len(guess), 28, 28), "float32"), inputs["truth"].copy())
    return as_array(returned, record, "confusion_matrix_of")


def probe_plot_confusion_matrix(function, inputs, record):
    import matplotlib.pyplot as plt

    description = describe_figure(function(confusion_counts(inputs["truth"], inputs["guess"])))
    plt.close("all")
    return description


def probe_softmax(function, inputs, record):
    return as_array(function(inputs["scores"].copy()), record, "softmax")


def probe_split_sizes(function, inputs, record):
    return {"values": [whole_numbers(function(60000, 0.1)), whole_numbers(function(1000, 0.25))]}


def whole_numbers(value):
    """A pair of numbers as plain ints (NumPy ints included); anything else as its repr."""
    try:
        numbers = [int(v) for v in value]
        if all(float(v) == n for v, n in zip(value, numbers)):
            return numbers
    except (TypeError, ValueError):
        pass
    return repr(value)[:100]


PROBES = {name: globals()[f"probe_{name}"] for name in STEPS}


def confusion_counts(truth, guess) -> np.ndarray:
    """The 10×10 matrix of true digits (rows) against guessed ones (columns)."""
    counts = np.zeros((10, 10), dtype=int)
    np.add.at(counts, (truth, guess), 1)
    return counts


def fit_arguments(fit, model, args: tuple, kwargs: dict) -> dict:
    """Every argument of a Model.fit call by name, defaults included."""
    call = inspect.signature(fit).bind(model, *args, **kwargs)
    call.apply_defaults()
    return call.arguments


def same_values(given, wanted: np.ndarray) -> bool:
    """The data as given, or converted without changing a value (a copy, another dtype)."""
    try:
        array = np.asarray(given, dtype=float)
    except Exception:  # noqa: BLE001 - student code may pass anything
        return False
    return array.shape == wanted.shape and np.array_equal(array, wanted)


def same_labels(given, labels: np.ndarray) -> bool:
    """The same labels, in either encoding: integer digits, or one-hot rows (a conversion between the
    two that changes no label is the same data)."""
    try:
        array = np.asarray(given, dtype=float)
    except Exception:  # noqa: BLE001 - student code may pass anything
        return False
    if array.shape == labels.shape:
        return np.array_equal(array, labels)
    return array.shape == (len(labels), 10) and np.array_equal(array, np.eye(10)[labels])


def fit_settings(arguments: dict) -> dict:
    """The training settings the practical fixes."""
    return {key: arguments[key] for key in ("epochs", "batch_size", "validation_split")}


def describe_model(model, record=None, prefix: str = "") -> dict:
    """Layers as plain data; with a record, the weights too, as arrays named <prefix>/<i>."""
    layers = []
    for layer in getattr(model, "layers", []):
        layers.append({"class": type(layer).__name__, "units": getattr(layer, "units", None),
                       "activation": getattr(getattr(layer, "activation", None), "__name__", None),
                       "use_bias": getattr(layer, "use_bias", None)})
    weights = model.get_weights() if getattr(model, "built", False) else []
    for index, array in enumerate(weights if record is not None else []):
        record.arrays[f"{prefix}/{index}"] = np.asarray(array)
    return {"class": type(model).__name__, "built": bool(getattr(model, "built", False)),
            "input_shape": list(model.input_shape[1:]) if getattr(model, "built", False) else None,
            "layers": layers, "weights": len(weights)}


def describe_figure(figure) -> dict:
    """What a reader of the figure would see: axes, labels, legends, lines, images, texts."""
    import matplotlib.figure

    if not isinstance(figure, matplotlib.figure.Figure):
        return {"type": type(figure).__name__}
    axes = []
    for ax in figure.axes:
        axes.append({
            "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(), "title": ax.get_title(),
            "legend": ax.get_legend() is not None,
            "lines": [{"label": line.get_label(), "y": [float(v) for v in np.asarray(line.get_ydata(), float)[:100]]}
                      for line in ax.get_lines()[:20]],
            "images": len(ax.images),
            "meshes": sum(1 for c in ax.collections if getattr(c, "get_array", lambda: None)() is not None),
            "texts": [text.get_text() for text in ax.texts][:200],
        })
    return {"type": "Figure", "axes": axes, "figure_legends": len(figure.legends)}


def export_final(namespace: dict, record) -> None:
    """The notebook's trained model: its layers, weights and compile settings."""
    final, model = record.data["final"], namespace.get("model")
    if model is None:
        return
    final["model_id"] = id(model)
    for name, export in (("model", lambda: describe_model(model, record, "model")),
                         ("compile_config", lambda: model.get_compile_config() if model.compiled else None)):
        try:
            final[name] = export()
        except BaseException as error:  # noqa: BLE001
            final[name] = {"error": describe_error(error)}
