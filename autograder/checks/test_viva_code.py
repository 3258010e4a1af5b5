"""The coding companions of viva questions 2 and 4."""

import numpy as np
import pytest


@pytest.mark.points("check_softmax", 1)
def test_softmax_is_stable_and_sums_to_one(returned_array, expected):
    probabilities = returned_array("softmax").astype(float)
    assert probabilities.shape == expected["softmax"].shape, f"softmax() returned shape {probabilities.shape}"
    assert np.isfinite(probabilities).all(), "softmax() overflowed on large scores: subtract each row's maximum first"
    assert np.allclose(probabilities, expected["softmax"], atol=1e-6), "softmax() should be exp(z_i) / sum_j exp(z_j) per row"


@pytest.mark.points("check_split_sizes", 1)
def test_split_sizes_match_how_fit_splits(probe):
    values = [tuple(v) if isinstance(v, list) else v for v in probe("split_sizes")["values"]]
    assert values == [(54000, 6000), (750, 250)], \
        f"split_sizes() returned {values[0]} for 60000 images and a split of 0.1; expected (54000, 6000)"
