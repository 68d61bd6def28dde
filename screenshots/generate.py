"""Regenerate the SVG screenshots of the README from the seeded sandbox.

    python screenshots/generate.py

Each picture is a scene of `tui.ui.scenes`, the same states the snapshot tests check.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from tui.ui.scenes import SCENE_SIZE, SCENES, Scene

HERE = Path(__file__).resolve().parent


async def shoot(scene: Scene) -> Path:
    """Drive a fresh app to `scene` and save it as `<name>.svg` beside this script."""
    stage = scene.stage()
    async with stage.app.run_test(size=SCENE_SIZE) as pilot:
        await scene.reach(pilot, stage)
        stage.app.title = "wallet-tui"
        return Path(stage.app.save_screenshot(f"{scene.name}.svg", str(HERE)))


def main() -> None:
    """Write every scene's screenshot."""
    for scene in SCENES:
        path = asyncio.run(shoot(scene))
        print(f"{path.relative_to(HERE.parent)}  {scene.description}")


if __name__ == "__main__":
    main()
