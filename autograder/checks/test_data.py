"""Steps 1–3: scaling, flattening and one-hot encoding, on fresh probe inputs."""

import numpy as np
import pytest


@pytest.mark.points("check_normalize", 1)
def test_normalize_scales_pixels_to_unit_range(returned_array, expected):
    scaled = returned_array("normalize")
    assert scaled.shape == expected["normalize"].shape, \
        f"normalize() changed the shape of the images to {scaled.shape}; keep every pixel in place"
    assert scaled.max() <= 1.0, f"normalize() returned values up to {scaled.max():.1f}: divide the pixels by 255.0"
    assert scaled.dtype == np.float32, f"normalize() returned {scaled.dtype} values; return float32"
    assert np.allclose(scaled, expected["normalize"]), "normalize() should divide every pixel by 255.0"


@pytest.mark.points("check_flatten", 1)
def test_flatten_gives_one_row_of_784_per_image(returned_array, expected):
    flat = returned_array("flatten")
    assert flat.shape == expected["flatten"].shape, \
        f"flatten() turned 3 images into shape {flat.shape}; expected {expected['flatten'].shape}"
    assert np.array_equal(flat, expected["flatten"]), "flatten() should keep each image's pixels in order, row by row"


@pytest.mark.points("check_one_hot", 1)
def test_one_hot_encodes_each_digit_as_a_row_of_ten(returned_array, expected):
    encoded = returned_array("one_hot")
    assert encoded.shape == expected["one_hot"].shape, \
        f"one_hot() returned shape {encoded.shape}; expected {expected['one_hot'].shape}: one row of 10 per label"
    assert np.array_equal(encoded, expected["one_hot"]), \
        "one_hot() rows should hold a single 1 in the column of the digit"
