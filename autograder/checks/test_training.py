"""Steps 6–7: how fit is called, what evaluate_model returns, and the measured accuracy."""

import math

import numpy as np
import pytest

from autograder.checks.cross_checks import comparable


@pytest.mark.points("check_train_model", 1)
def test_train_model_fits_with_the_practicals_settings(probe, record, expectations):
    result = probe("train_model")
    fits = [call for call in result["calls"] if "epochs" in call]
    assert len(fits) == 1, f"train_model() called model.fit {len(fits)} times; call it once"
    fit, wanted = fits[0], expectations["fit"]
    trained = comparable(record, "how it trained").get("final", {}).get("model_id")
    if trained is not None:  # the run reached the end: its model was fitted once, as train_model() fits
        real = [{key: call.get(key) for key in wanted} for call in record.get("fit_calls", [])
                if call.get("model_id") == trained]
        probed = {key: fit[key] for key in wanted}
        assert real == [probed], (f"the notebook's model was fitted {len(real)} time(s) with {real or 'nothing'}, but "
                                  f"train_model() fits it once with {probed} when the grader calls it")
    assert fit["passes_data"], "train_model() should pass its x_train and y_train to model.fit(...)"
    assert fit["epochs"] == wanted["epochs"], f"train_model() trains for {fit['epochs']} epoch(s); use {wanted['epochs']}"
    assert fit["batch_size"] == wanted["batch_size"], \
        f"train_model() uses batch_size={fit['batch_size']}; use {wanted['batch_size']}"
    assert math.isclose(fit["validation_split"] or 0, wanted["validation_split"]), \
        f"train_model() uses validation_split={fit['validation_split']}; use {wanted['validation_split']}"
    assert result["returns_history"], "train_model() should return the History that model.fit(...) returns"


@pytest.mark.points("check_evaluate_model", 1)
def test_evaluate_model_returns_loss_then_accuracy(probe, expected):
    result = probe("evaluate_model")
    assert result["values"] is not None and len(result["values"]) == 2, \
        f"evaluate_model() returned a {result['type']}; return (test_loss, test_accuracy)"
    assert all(kind in ("float", "float32", "float64") for kind in result["value_types"]), \
        f"evaluate_model() returned {result['value_types']}; convert both values with float(...)"
    truth = expected["evaluate_model"]
    assert not np.allclose(result["values"], truth[::-1], rtol=1e-3) or np.allclose(truth, truth[::-1]), \
        "evaluate_model() returned (accuracy, loss); return the loss first"
    assert np.allclose(result["values"], truth, rtol=1e-3), \
        "evaluate_model() should return what model.evaluate(x_test, y_test) measures on the data it is given"


@pytest.mark.points("check_test_accuracy", 2)
def test_trained_model_reaches_the_minimum_test_accuracy(evaluation, expectations):
    assert "rejected" not in evaluation, f"The trained model could not be evaluated: {evaluation.get('rejected')}"
    accuracy, minimum = evaluation["test_accuracy"], expectations["min_test_accuracy"]
    assert accuracy >= minimum, f"The grader measured a test accuracy of {accuracy:.2%}, below the {minimum:.0%} required"
