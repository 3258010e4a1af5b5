"""Step 4: the network's shape, read from the model build_model() returned, and the
same network in the notebook's own training run."""

import math

import pytest

from autograder.checks.cross_checks import comparable
from autograder.evaluation.architecture import dense_layers, summary


@pytest.fixture(scope="module")
def built(probe, record):
    model = probe("build_model")["model"]
    assert model["class"] == "Sequential", f"build_model() returned a {model['class']}; return a keras.Sequential"
    assert model["built"], "build_model(): the model does not know its input size; start with keras.Input(...)"
    dense, _ = dense_layers(model["layers"])
    trained = comparable(record, "the network it trained").get("final", {}).get("model")
    if isinstance(trained, dict) and "layers" in trained:  # the run reached the end: it must be the same network
        used, _ = dense_layers(trained["layers"])
        assert used == dense, (f"the notebook trained {summary(used)}, but build_model() returns {summary(dense)} "
                               "when the grader calls it: the network must come from build_model()")
    return model


@pytest.mark.points("check_build_model", 1)
def test_layer_sizes_and_parameter_count(built, expectations):
    assert built["input_shape"] in expectations["input_shapes"], \
        f"build_model(): the model takes inputs of shape {tuple(built['input_shape'])}; use (28, 28) or (784,)"
    dense, _ = dense_layers(built["layers"])
    units = [layer["units"] for layer in dense]
    assert units == expectations["dense_units"], \
        f"build_model(): the Dense layers have {units} units; the practical asks for {expectations['dense_units']}"
    sizes = [math.prod(built["input_shape"])] + units
    parameters = sum(a * b + (b if layer["use_bias"] else 0) for a, b, layer in zip(sizes, sizes[1:], dense))
    assert parameters == expectations["parameter_count"], \
        f"build_model(): the model has {parameters:,} parameters, not {expectations['parameter_count']:,}"


@pytest.mark.points("check_build_model", 1)
def test_hidden_layers_use_relu_and_the_output_softmax(built, expectations, allowed_layers):
    dense, others = dense_layers(built["layers"], allowed_layers)
    assert not others, (f"build_model(): the practical's network has no {' or '.join(dict.fromkeys(others))} "
                        f"layer; remove the {', '.join(others)} layer(s)")
    activations = [layer["activation"] for layer in dense]
    assert activations == expectations["dense_activations"], \
        f"build_model(): the Dense layers use {activations}; use {expectations['dense_activations']}"
