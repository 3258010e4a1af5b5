"""Step 4: the network's shape, read from the model build_model() returned."""

import math

import pytest


@pytest.fixture(scope="module")
def built(probe):
    model = probe("build_model")["model"]
    assert model["class"] == "Sequential", f"build_model() returned a {model['class']}; return a keras.Sequential"
    assert model["built"], "build_model(): the model does not know its input size; start with keras.Input(...)"
    return model


def dense_layers(model: dict) -> list[dict]:
    return [layer for layer in model["layers"] if layer["class"] == "Dense"]


@pytest.mark.points("check_build_model", 1)
def test_layer_sizes_and_parameter_count(built, expectations):
    assert built["input_shape"] in expectations["input_shapes"], \
        f"build_model(): the model takes inputs of shape {tuple(built['input_shape'])}; use (28, 28) or (784,)"
    units = [layer["units"] for layer in dense_layers(built)]
    assert units == expectations["dense_units"], \
        f"build_model(): the Dense layers have {units} units; the practical asks for {expectations['dense_units']}"
    sizes = [math.prod(built["input_shape"])] + units
    biases = [layer["use_bias"] for layer in dense_layers(built)]
    parameters = sum(a * b + (b if bias else 0) for a, b, bias in zip(sizes, sizes[1:], biases))
    assert parameters == expectations["parameter_count"], \
        f"build_model(): the model has {parameters:,} parameters, not {expectations['parameter_count']:,}"


@pytest.mark.points("check_build_model", 1)
def test_hidden_layers_use_relu_and_the_output_softmax(built, expectations):
    activations = [layer["activation"] for layer in dense_layers(built)]
    others = [layer["class"] for layer in built["layers"] if layer["class"] not in ("Dense", "Flatten")]
    assert not others, f"build_model(): remove the {', '.join(others)} layer(s)"
    assert activations == expectations["dense_activations"], \
        f"build_model(): the Dense layers use {activations}; use {expectations['dense_activations']}"
