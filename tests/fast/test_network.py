"""The grader measures accuracy only on a network it can rebuild exactly from the export."""

import numpy as np
import pytest

from autograder.evaluation.network import Rejected, accuracy, dense_stack, input_scaling

LAYERS = [{"class": "Flatten", "units": None, "activation": None, "use_bias": None},
          {"class": "Dense", "units": 3, "activation": "relu", "use_bias": True},
          {"class": "Dense", "units": 10, "activation": "softmax", "use_bias": True}]


def exported(layers=LAYERS, shapes=((4, 3), (3,), (3, 10), (10,)), fill=0.1):
    arrays = {f"model/{i}": np.full(shape, fill, np.float32) for i, shape in enumerate(shapes)}
    return {"layers": layers, "weights": len(shapes)}, arrays


def test_a_well_formed_network_is_rebuilt_layer_by_layer():
    stack = dense_stack(*exported())
    assert [(kernel.shape, bias.shape, activation) for kernel, bias, activation in stack] == [
        ((4, 3), (3,), "relu"), ((3, 10), (10,), "softmax")]


def test_a_bias_that_would_broadcast_over_the_test_set_is_refused():
    model, arrays = exported(shapes=((4, 3), (3,), (3, 10), (10000, 10)))
    with pytest.raises(Rejected, match=r"bias has shape \(10000, 10\)"):
        dense_stack(model, arrays)


def test_weights_left_over_after_the_last_layer_are_refused():
    model, arrays = exported(shapes=((4, 3), (3,), (3, 10), (10,), (10, 10)))
    with pytest.raises(Rejected, match="do not match the layers"):
        dense_stack(model, arrays)


def test_layers_whose_shapes_do_not_chain_are_refused():
    model, arrays = exported(shapes=((4, 3), (3,), (5, 10), (10,)))
    with pytest.raises(Rejected, match="do not chain"):
        dense_stack(model, arrays)


def test_a_layer_outside_the_allow_list_is_refused():
    model, arrays = exported(layers=[*LAYERS[:2], {**LAYERS[2], "class": "Lambda"}])
    with pytest.raises(Rejected, match="Lambda"):
        dense_stack(model, arrays)


def test_non_finite_weights_are_refused():
    with pytest.raises(Rejected, match="NaN"):
        dense_stack(*exported(fill=np.nan))


def test_a_network_not_ending_in_ten_outputs_is_refused():
    model, arrays = exported(shapes=((4, 3), (3,), (3, 9), (9,)))
    with pytest.raises(Rejected, match="10 outputs"):
        dense_stack(model, arrays)


def test_accuracy_is_the_share_of_images_whose_largest_output_is_the_label():
    kernel = np.zeros((4, 10), np.float32)
    kernel[0, 7] = kernel[1, 2] = 1.0  # pixel 0 votes for 7, pixel 1 for 2
    stack = [(kernel, np.zeros(10, np.float32), "softmax")]
    images = np.array([[[255, 0], [0, 0]], [[0, 255], [0, 0]], [[0, 255], [0, 0]]], np.uint8)
    assert accuracy(stack, images, np.array([7, 2, 5]), (1 / 255, 0.0)) == pytest.approx(2 / 3)


def test_the_students_own_scaling_is_applied_to_the_test_images():
    images = np.arange(0, 256, 16, dtype=np.uint8).reshape(1, 4, 4)
    assert input_scaling(images / 127.5 - 1, images) == pytest.approx((1 / 127.5, -1.0))
    assert input_scaling(None, images) == pytest.approx((1 / 255, 0.0))


def test_the_confusion_matrix_counts_true_digits_against_predicted_ones():
    from autograder.evaluation.network import confusion

    counts = confusion(np.array([3, 3, 5, 7]), np.array([3, 8, 5, 7]))
    assert counts[3][3] == 1 and counts[3][8] == 1 and counts[5][5] == 1 and counts[7][7] == 1
    assert sum(map(sum, counts)) == 4


def test_a_dropout_layer_is_the_identity_once_trained_so_the_network_is_still_measured():
    dropout = {"class": "Dropout", "units": None, "activation": None, "use_bias": None}
    model, arrays = exported(layers=[LAYERS[0], LAYERS[1], dropout, LAYERS[2]])
    assert len(dense_stack(model, arrays)) == 2


def test_the_architecture_names_a_dropout_layer_unless_it_is_allowed():
    from autograder.evaluation.architecture import dense_layers

    dropout = {"class": "Dropout", "units": None, "activation": None, "use_bias": None}
    layers = [LAYERS[0], LAYERS[1], dropout, LAYERS[2]]
    assert dense_layers(layers)[1] == ["Dropout"]
    assert dense_layers(layers, frozenset({"Dropout"}))[1] == []
