"""A too-old Python gets a message from main.py and `python -m studyapp`, not a SyntaxError."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What runs before the check: it must parse and run on old Pythons.
EARLY_FILES = ["main.py", "studyapp/__main__.py", "studyapp/__init__.py",
               "studyapp/python_check.py"]  # fmt: skip

FAKE_OLD_PYTHON = """
import runpy, sys
sys.version_info = (3, 10, 13, "final", 0)
sys.argv = [{path!r}, "--version"]
try:
    runpy.{runner}
except SystemExit as exited:
    print("EXIT", exited.code, "studyapp.app" in sys.modules)
else:
    print("NO EXIT", "studyapp.app" in sys.modules)
"""


@pytest.mark.parametrize(
    "runner",
    ["run_path('main.py', run_name='__main__')", "run_module('studyapp', run_name='__main__')"],
)
def test_an_old_python_is_told_before_anything_else_is_imported(runner: str) -> None:
    code = FAKE_OLD_PYTHON.format(path="main.py", runner=runner)
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert run.stdout.strip() == "EXIT 2 False", run.stdout + run.stderr
    assert "StudyApp needs Python 3.11 or newer, and this is Python 3.10.13" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("name", EARLY_FILES)
def test_what_runs_before_the_check_is_old_python_syntax(name: str) -> None:
    source = (ROOT / name).read_bytes()
    assert source.isascii(), "Python 2 reads source as ASCII"
    tree = ast.parse(source, feature_version=(3, 4))
    for node in ast.walk(tree):
        assert not isinstance(node, ast.JoinedStr), f"an f-string at line {node.lineno}"
        assert not isinstance(node, ast.AnnAssign), f"an annotation at line {node.lineno}"
        if isinstance(node, ast.FunctionDef):
            assert node.returns is None and not any(a.annotation for a in node.args.args)
        if isinstance(node, ast.ImportFrom):
            assert node.module != "__future__", "from __future__ fails on Pythons before it"


def test_pip_is_told_the_same() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"] == ">=3.11"
    from studyapp.python_check import REQUIRED

    assert REQUIRED == (3, 11)
