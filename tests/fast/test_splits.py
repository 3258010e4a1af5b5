"""A run trains on images whose pixel order is secret and its own; the grader tests in that order."""

import numpy as np
import pytest

from autograder.data.splits import STAND_IN_TEST_IMAGES, pixel_order, held_out_split, training_split


@pytest.fixture(scope="module")
def tiny_mnist(tmp_path_factory):
    rng = np.random.default_rng(0)
    path = tmp_path_factory.mktemp("tiny") / "mnist.npz"
    np.savez(path, x_train=rng.integers(0, 256, (2500, 28, 28), dtype=np.uint8), y_train=rng.integers(0, 10, 2500),
             x_test=rng.integers(0, 256, (50, 28, 28), dtype=np.uint8), y_test=rng.integers(0, 10, 50))
    return path


def test_each_key_orders_the_784_pixels_its_own_way():
    assert sorted(pixel_order(1)) == list(range(784))
    assert not np.array_equal(pixel_order(1), pixel_order(2))
    assert np.array_equal(pixel_order(1), pixel_order(1))


def test_the_run_gets_training_images_only_in_its_own_pixel_order(tiny_mnist, tmp_path):
    with np.load(training_split(tiny_mnist, tmp_path, key=7)) as split, np.load(tiny_mnist) as natural:
        assert not np.array_equal(split["x_train"], natural["x_train"])
        assert np.array_equal(np.sort(split["x_train"].reshape(2500, -1)), np.sort(natural["x_train"].reshape(2500, -1)))
        assert np.array_equal(split["y_train"], natural["y_train"])
        assert np.array_equal(split["x_test"], split["x_train"][-STAND_IN_TEST_IMAGES:])
        assert not any(np.array_equal(image, test) for image in split["x_test"][:50] for test in natural["x_test"])


def test_the_grader_tests_in_the_runs_pixel_order(tiny_mnist, tmp_path):
    with np.load(training_split(tiny_mnist, tmp_path, key=7)) as split, np.load(tiny_mnist) as natural:
        natural_x, natural_y = natural["x_train"][:3], natural["x_test"]
        images, labels = held_out_split(tiny_mnist, key=7)
        # the same pixel went to the same place in both splits
        pixel = natural_x.reshape(3, -1)[:, pixel_order(7)].reshape(3, 28, 28)
        assert np.array_equal(pixel, split["x_train"][:3])
        assert np.array_equal(images, natural_y.reshape(50, -1)[:, pixel_order(7)].reshape(50, 28, 28))
        assert np.array_equal(labels, natural["y_test"])


def test_the_split_is_read_only(tiny_mnist, tmp_path):
    assert training_split(tiny_mnist, tmp_path, key=1).stat().st_mode & 0o222 == 0


def test_a_submission_always_gets_the_same_order_and_others_another(tmp_path):
    from autograder.data.splits import course_secret, pixel_key

    secret = course_secret(tmp_path)
    assert course_secret(tmp_path) == secret and len(secret) == 32
    assert (tmp_path / ".autograder_secret").stat().st_mode & 0o077 == 0  # the grader's alone
    assert pixel_key(secret, "abc") == pixel_key(secret, "abc")
    assert pixel_key(secret, "abc") != pixel_key(secret, "abd")
    other = tmp_path / "other"
    other.mkdir()
    assert pixel_key(secret, "abc") != pixel_key(course_secret(other), "abc")
