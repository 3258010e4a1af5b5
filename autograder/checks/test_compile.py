"""Step 5: optimizer, loss, metric, and whether the loss suits the labels."""

import pytest

from autograder.checks.cross_checks import comparable
from autograder.authoring.compile_settings import setting_name


@pytest.fixture(scope="module")
def compiled(probe, record):
    result = probe("compile_model")
    assert result["returns_model"], "compile_model() should return the model it compiled: add `return model`"
    assert result["compiled"], "compile_model() did not call model.compile(...)"
    used = comparable(record, "how it compiled").get("final", {}).get("compile_config")
    if isinstance(used, dict) and "optimizer" in used:  # the run reached the end: compiled the same way
        assert settings_of(used) == settings_of(result["compile_config"]), (
            f"the notebook trained with {settings_of(used)}, but compile_model() sets {settings_of(result['compile_config'])} "
            "when the grader calls it: compile the model with compile_model()")
    return result["compile_config"]


def settings_of(config: dict) -> dict:
    """Optimizer, loss and metrics by name, as they are compared."""
    return {"optimizer": setting_name(config.get("optimizer")).lower(), "loss": setting_name(config.get("loss")),
            "metrics": sorted(setting_name(metric) for metric in config.get("metrics") or [])}


@pytest.mark.points("check_compile_model", 0.5)
def test_optimizer_is_adam(compiled, expectations):
    optimizer = setting_name(compiled["optimizer"]).lower()
    assert optimizer == expectations["optimizer"], f"compile_model() uses the {optimizer!r} optimizer; use 'adam'"


@pytest.mark.points("check_compile_model", 0.5)
def test_loss_is_cross_entropy_and_accuracy_is_tracked(compiled, expectations):
    loss = setting_name(compiled["loss"])
    assert loss in expectations["loss_for_encoding"].values(), \
        f"compile_model() uses the loss {loss!r}; use a cross-entropy loss that matches your labels"
    metrics = [setting_name(metric) for metric in compiled.get("metrics") or []]
    assert set(metrics) & set(expectations["accuracy_metrics"]), \
        f"compile_model() tracks {metrics or 'no metrics'}; add metrics=['accuracy']"


@pytest.mark.points("check_labels_match_loss", 1)
def test_label_encoding_matches_the_loss(probes, compiled, expectations):
    encoding = probes.get("label_encoding")
    assert encoding in expectations["loss_for_encoding"], \
        f"LABEL_ENCODING is {encoding}; set it to 'one_hot' or 'integer'"
    loss, wanted = setting_name(compiled["loss"]), expectations["loss_for_encoding"][encoding]
    assert loss == wanted, (f"LABEL_ENCODING is {encoding!r} but the loss is {loss!r}: one-hot labels go with "
                            "categorical_crossentropy, integer labels with sparse_categorical_crossentropy")
