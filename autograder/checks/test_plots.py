"""Steps 8–9: the learning curves, the confusion matrix and its heatmap."""

import numpy as np
import pytest

from autograder.sandbox.inside.probe_inputs import probe_inputs


@pytest.fixture(scope="module")
def history_plot(probe, evaluation):
    figure = probe("plot_history")
    assert figure.get("type") == "Figure", f"plot_history() returned {figure.get('type')}; return the Figure"
    curves = probe_inputs(evaluation["seed"])["history"]  # the grader's seed, not the record's
    found = {}
    for index, axes in enumerate(figure["axes"]):
        for line in axes["lines"]:
            for key, values in curves.items():
                if len(line["y"]) == len(values) and np.allclose(line["y"], values, atol=1e-4):
                    found[key] = index
    return figure, found


@pytest.mark.points("check_plot_history", 0.5)
def test_history_plot_draws_all_four_curves(history_plot):
    _, found = history_plot
    missing = sorted({"accuracy", "val_accuracy", "loss", "val_loss"} - set(found))
    assert not missing, f"plot_history() does not draw {missing}"
    for metric in ("accuracy", "loss"):
        assert found[metric] == found[f"val_{metric}"], f"plot_history(): draw training and validation {metric} together"


@pytest.mark.points("check_plot_history", 0.5)
def test_history_plot_has_axis_labels_and_legends(history_plot):
    figure, found = history_plot
    for metric in ("accuracy", "loss"):
        axes = figure["axes"][found.get(metric, 0)] if figure["axes"] else {}
        assert axes.get("xlabel") and axes.get("ylabel"), f"plot_history(): label both axes of the {metric} plot"
        assert axes.get("legend") or figure["figure_legends"], f"plot_history(): the {metric} plot has no legend"


@pytest.mark.points("check_confusion_matrix", 1)
def test_confusion_matrix_counts_true_rows_against_predicted_columns(returned_array, expected):
    cm, wanted = returned_array("confusion_matrix_of"), expected["confusion_matrix_of"]
    assert cm.shape == (10, 10), f"confusion_matrix_of() returned shape {cm.shape}; return 10×10 (labels=range(10))"
    assert np.issubdtype(cm.dtype, np.integer), f"confusion_matrix_of() returned {cm.dtype}; return whole counts"
    assert not np.array_equal(cm, wanted.T) or np.array_equal(cm, wanted), \
        "confusion_matrix_of(): rows and columns are swapped; rows are the true digits"
    assert np.array_equal(cm, wanted), "confusion_matrix_of() counts do not match the predictions"


@pytest.mark.points("check_plot_confusion_matrix", 1)
def test_confusion_plot_is_an_annotated_labelled_heatmap(probe):
    figure = probe("plot_confusion_matrix")
    assert figure.get("type") == "Figure", f"plot_confusion_matrix() returned {figure.get('type')}; return the Figure"
    heatmaps = [axes for axes in figure["axes"] if axes["images"] or axes["meshes"]]
    assert heatmaps, "plot_confusion_matrix() draws no heatmap"
    assert sum(len(axes["texts"]) for axes in figure["axes"]) >= 100, \
        "plot_confusion_matrix(): write each count in its cell"
    assert heatmaps[0]["xlabel"] and heatmaps[0]["ylabel"], "plot_confusion_matrix(): label both axes"
