"""Students' own environments, built once and cached: the notebook must work unchanged in each.

Each is a venv under ~/.cache/mnist-ann-kit/student-environments/<name>-<hash of its spec>, built
from PyPI by the first test that needs it, with an IPython kernel the tests run notebooks in.
"""

import hashlib
import json
import subprocess
import sys
import venv
from dataclasses import dataclass, field
from pathlib import Path

CACHE = Path.home() / ".cache" / "mnist-ann-kit" / "student-environments"


@dataclass(frozen=True)
class Environment:
    name: str
    packages: tuple[str, ...]
    variables: dict = field(default_factory=dict)  # set in the kernel, e.g. KERAS_BACKEND

    @property
    def folder(self) -> Path:
        spec = json.dumps([self.packages, self.variables, sys.version_info[:2]]).encode()
        return CACHE / f"{self.name}-{hashlib.sha256(spec).hexdigest()[:12]}"

    @property
    def python(self) -> Path:
        return self.folder / "bin" / "python"


ENVIRONMENTS = {
    "keras 2.15": Environment("keras-2.15", ("tensorflow-cpu==2.15.1", "matplotlib", "scikit-learn", "ipykernel")),
    "keras 3 on jax": Environment("keras-3-jax", ("keras==3.15.1", "jax[cpu]==0.10.2", "matplotlib", "scikit-learn",
                                                 "ipykernel"), {"KERAS_BACKEND": "jax"}),
}


def built(environment: Environment) -> Environment:
    """The environment, built now if it is not in the cache (a few minutes, once)."""
    ready = environment.folder / ".complete"
    if not ready.is_file():
        venv.create(environment.folder, with_pip=True, clear=True)
        subprocess.run([str(environment.python), "-m", "pip", "install", "--quiet", *environment.packages],
                       check=True, capture_output=True, text=True)
        ready.write_text("\n".join(environment.packages))
    return environment


def kernel_spec(environment: Environment, into: Path) -> str:
    """A Jupyter kernel spec for the environment under into/kernels/; its name (put `into` on JUPYTER_PATH)."""
    name = environment.name
    folder = into / "kernels" / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kernel.json").write_text(json.dumps({
        "argv": [str(environment.python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": name, "language": "python", "env": environment.variables}))
    return name
