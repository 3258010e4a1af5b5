"""The package's shape: stages as subpackages, imports running one way, small modules."""

import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "autograder"
TOP_LEVEL_MODULES = {"__init__.py", "__main__.py", "cli.py", "settings.py", "errors.py"}


def test_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--no-cache", str(PACKAGE.parent / "pyproject.toml")], cwd=PACKAGE.parent,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 kept, 0 broken" in done.stdout


def test_top_level_holds_only_the_entry_point_cli_settings_errors_and_stages():
    modules = {path.name for path in PACKAGE.glob("*.py")}
    stages = {path.name for path in PACKAGE.iterdir() if path.is_dir() and path.name != "__pycache__"}
    assert modules == TOP_LEVEL_MODULES
    assert all((PACKAGE / stage / "__init__.py").is_file() for stage in stages)


def test_every_stage_says_what_it_is_for():
    for init in PACKAGE.glob("*/__init__.py"):
        assert init.read_text().startswith('"""'), f"{init} has no docstring"


def test_no_module_is_over_400_lines():
    long = {str(path.relative_to(PACKAGE)): n for path in PACKAGE.rglob("*.py")
            if (n := len(path.read_text().splitlines())) > 400}
    assert long == {}
