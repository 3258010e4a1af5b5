"""The network as the grader understands it, whatever idiom built it.

The same network can be written many ways: an activation named by string, by a
Keras function or by a tf.nn function (whose name may be `softmax_v2`), inside
Dense or as a separate Activation/ReLU/Softmax layer after it, behind a Flatten
or an Input of 784. All of them reduce here to one list of dense layers.
"""

SHAPE_ONLY_LAYERS = {"Flatten", "InputLayer", "Reshape"}
# Layers that change how a network trains but are the identity once it is trained: the evaluator passes
# them by; the architecture check names them, since the practical fixes the network (unless the
# instructor allows them: c.Autograder.allowed_extra_layers).
IDENTITY_WHEN_TRAINED = {"Dropout", "AlphaDropout", "GaussianDropout", "GaussianNoise", "SpatialDropout1D",
                         "SpatialDropout2D", "ActivityRegularization"}
ACTIVATION_LAYERS = {"Activation": None, "ReLU": "relu", "Softmax": "softmax"}  # None: named by the layer
ALIASES = {"softmax_v2": "softmax", "relu_v2": "relu"}


def activation_name(name) -> str:
    name = name if isinstance(name, str) and name else "linear"
    return ALIASES.get(name, name)


def dense_layers(layers: list[dict], passed_by: frozenset[str] = frozenset()) -> tuple[list[dict], list[str]]:
    """The dense layers as {units, activation, use_bias}, with separate activation layers folded
    into the Dense before them; and the classes of any layer that is neither (but shape-only layers
    and those `passed_by`)."""
    dense, others = [], []
    for layer in layers:
        kind = layer.get("class")
        if kind in SHAPE_ONLY_LAYERS or kind in passed_by:
            continue
        if kind == "Dense":
            dense.append({"units": layer.get("units"), "activation": activation_name(layer.get("activation")),
                          "use_bias": bool(layer.get("use_bias"))})
        elif kind in ACTIVATION_LAYERS and dense and dense[-1]["activation"] == "linear":
            dense[-1]["activation"] = activation_name(ACTIVATION_LAYERS[kind] or layer.get("activation"))
        else:
            others.append(str(kind))
    return dense, others


def summary(dense: list[dict]) -> str:
    """`Dense(128, relu) → Dense(64, relu) → Dense(10, softmax)`, for messages."""
    return " → ".join(f"Dense({layer['units']}, {layer['activation']})" for layer in dense) or "no Dense layers"
