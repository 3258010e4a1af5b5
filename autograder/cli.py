"""Command line: a thin adapter over the kit's functions (`python -m autograder --help`)."""

import argparse
import sys
from pathlib import Path

# jsonschema, imported by nbformat, compiles 39 grammars at import (a second, on every command) for the
# "iri" string formats, which no notebook schema uses; without this optional module it leaves them out.
sys.modules.setdefault("rfc3987_syntax", None)

from .errors import KitError
from .settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    parser.add_argument("--mnist", help="path to an mnist.npz (default: $MNIST_PATH, then the usual routes)")
    parser.add_argument("--course", type=Path,
                        help="the nbgrader course folder (default: $AUTOGRADER_COURSE_ROOT, else the current folder "
                             "when it holds nbgrader_config.py, else the kit's own course)")
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, text: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")

    command("mnist", "find MNIST and print its path")
    command("doctor", "say what this machine offers the grader, which defences hold, and how to add the missing ones")
    command("derive", "write solutions/ and the expectations from the source notebook")
    command("release", "generate release/ with nbgrader generate_assignment")
    measure = command("measure", "train the reference over seeds; record test accuracies")
    measure.add_argument("--seeds", type=int, default=30, help="how many seeds (0..N-1)")
    command("demo", "find MNIST, release, run the reference solution, report")
    init = command("init", "start a new course folder from the kit: source, solutions, config, "
                                            "the released notebook")
    init.add_argument("folder", type=Path, help="a new (or empty) folder")
    grade = command("grade", "grade every submission (nbgrader's submitted/ or --from)")
    grade.add_argument("assignment", nargs="?", default="mnist_ann",
                       help="the assignment's name in source/ and release/ (default: mnist_ann)")
    grade.add_argument("--from", dest="source", type=Path, help="a folder or .zip of notebooks named for the students")
    grade.add_argument("--student", help="grade this student only")
    grade.add_argument("--workers", type=int, help="submissions graded at once (default: fits cores and memory)")
    grade.add_argument("--rejudge", action="store_true", help="re-run only the checks on stored runs")
    grade.add_argument("--dask", metavar="ADDRESS", help="grade on the Dask cluster whose scheduler is at ADDRESS "
                                                         "(tcp://host:8786); see README.md")
    grade.add_argument("--no-gradebook", action="store_true", help="do not update nbgrader's gradebook")
    grade.add_argument("--unsafe-no-sandbox", action="store_true",
                       help="grade even where the sandbox cannot be built (student code can then read your files)")
    package = command("gradescope-zip", "build the autograder zip to upload to Gradescope (see README.md)")
    package.add_argument("assignment", nargs="?", default="mnist_ann", help="the assignment (default: mnist_ann)")
    package.add_argument("--out", type=Path, help="where to write it (default: gradescope/<assignment>_autograder.zip "
                                                  "in the course)")
    package.add_argument("--no-data", action="store_true",
                         help="leave MNIST out: Gradescope's image then fetches it when it is built")
    container = command("gradescope-run", "grade the one submission in Gradescope's container (run_autograder "
                                          "calls this)")
    container.add_argument("--root", type=Path, default=Path("/autograder"), help="Gradescope's folder")
    report = command("report", "rewrite grades, feedback, the class report and Gradescope files from stored "
                               "results (no student code runs)")
    report.add_argument("assignment", nargs="?", default="mnist_ann", help="the assignment (default: mnist_ann)")
    report.add_argument("--no-gradebook", action="store_true", help="do not read nbgrader's gradebook")
    viva = command("viva", "serve the page that grades the viva question by question, answer groups at a time "
                           "(on 127.0.0.1, behind a token)")
    viva.add_argument("assignment", nargs="?", default="mnist_ann", help="the assignment (default: mnist_ann)")
    viva.add_argument("--port", type=int, default=0, help="the port (default: a free one)")
    args = parser.parse_args(argv)
    try:
        settings = Settings(**({"mnist_path": args.mnist} if args.mnist else {}),
                            **({"course_root": course(args.course)} if args.course else {}))
        code = run(args, settings)
    except KitError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"Interrupted. Every result finished so far is kept in {settings.results_dir}; "
              "run the same command again to grade the rest.", file=sys.stderr)
        return 130
    return code or 0


def course(folder: Path) -> Path:
    if not (folder / "nbgrader_config.py").is_file():
        raise KitError(f"{folder} is not an nbgrader course: it has no nbgrader_config.py. "
                       f"Start one with `python -m autograder init {folder}`.")
    return folder.resolve()


def run(args: argparse.Namespace, settings: Settings) -> int | None:
    """Do the command; its exit code where it has one of its own."""
    if args.command == "mnist":
        from .data.mnist import find_mnist

        print(find_mnist(settings))
    elif args.command == "doctor":
        from rich.console import Console

        from .commands.doctor import doctor

        return 0 if doctor(settings, Console()) else 2
    elif args.command == "derive":
        from .authoring.expectations import refresh
        from .checks.catalogue import checks_by_cell

        refresh(settings, checks_by_cell())
        print(f"wrote {settings.solutions_dir}, the SPEC cell and the check cells' listings of {settings.source_notebook}")
    elif args.command == "release":
        from .authoring.release import release

        print(f"released to {release(settings)}")
    elif args.command == "measure":
        from .authoring.measure import measure
        from .data.mnist import find_mnist

        measure(settings, find_mnist(settings), list(range(args.seeds)))
    elif args.command == "init":
        from .commands.init import init_course

        folder = init_course(settings, args.folder)
        print(f"A new course in {folder}: edit source/, then `python -m autograder derive` and `release` there; "
              f"collect into submitted/ and run `python -m autograder grade` in {folder}.")
    elif args.command == "demo":
        from .commands.demo import demo

        demo(settings)
    elif args.command == "grade":
        from .commands.grade import grade_command

        update = {"assignment": args.assignment, **({"unsafe_no_sandbox": True} if args.unsafe_no_sandbox else {}),
                  **({"dask_scheduler": args.dask} if args.dask else {})}
        grade_command(settings.model_copy(update=update), source=args.source,
                      student=args.student, workers=args.workers, rejudge_only=args.rejudge,
                      gradebook=not args.no_gradebook)
    elif args.command == "gradescope-zip":
        from .commands.gradescope import build_zip

        settings = settings.model_copy(update={"assignment": args.assignment})
        out = args.out or settings.course_root / "gradescope" / f"{args.assignment}_autograder.zip"
        built = build_zip(settings, out, with_data=not args.no_data)
        print(f"Upload {built} ({built.stat().st_size / (1 << 20):.1f} MiB) as the assignment's autograder on "
              "Gradescope (Configure Autograder → Zip file upload).")
    elif args.command == "gradescope-run":
        from .commands.gradescope import grade_in_container

        grade_in_container(settings, args.root)
    elif args.command == "viva":
        from rich.console import Console

        from .commands.viva import serve_viva

        serve_viva(settings.model_copy(update={"assignment": args.assignment}), args.port, Console())
    elif args.command == "report":
        from rich.console import Console

        from .commands.grade import report_command

        report_command(settings.model_copy(update={"assignment": args.assignment}), not args.no_gradebook, Console())
