"""The import-linter contract in pyproject.toml holds: stages never import later stages."""

import subprocess
import sys
from pathlib import Path


def test_modules_only_import_earlier_stages():
    root = Path(__file__).resolve().parents[1]
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--config", str(root / "pyproject.toml")], cwd=root,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 kept, 0 broken" in done.stdout
