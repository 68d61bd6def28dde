"""Project rules that a tool can check: ruff clean, and `tui/api` free of Textual."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "tui" / "api").glob("*.py")), ids=lambda p: p.name)
def test_api_layer_imports_no_ui_and_no_sandbox(path: Path) -> None:
    for name in imported_modules(path):
        assert not name.startswith(
            ("textual", "rich", "tui.ui", "tui.sandbox", "starlette", "uvicorn")
        ), f"{path.name} imports {name}"


def test_ruff_is_clean() -> None:
    ruff = shutil.which("ruff") or shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff is None:
        pytest.skip("ruff is not installed")
    result = subprocess.run(
        [ruff, "check", "tui", "tests"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "path",
    sorted(
        path
        for folder in ("screens", "widgets", "feeds")
        for path in (ROOT / "tui" / "ui" / folder).glob("*.py")
    ),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_screens_widgets_and_feeds_do_not_import_the_app(path: Path) -> None:
    # The app makes the screens and gives them what they need (tui/ui/services.py):
    # a screen that reached back into the app module would make an import circle.
    assert "tui.ui.app" not in imported_modules(path)
