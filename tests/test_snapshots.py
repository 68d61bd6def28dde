"""SVG snapshots of the app's key states (seeded sandbox, frozen time).

Update after an intended change of look with `python -m pytest tests/test_snapshots.py --snapshot-update`,
then look at the SVGs under tests/__snapshots__/ before committing them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tui.ui.scenes import SCENE_SIZE, SCENES, Scene


@pytest.mark.parametrize("scene", SCENES, ids=lambda scene: scene.name)
def test_scene(scene: Scene, snap_compare: Callable[..., bool]) -> None:
    stage = scene.stage()

    async def reach(pilot: object) -> None:
        await scene.reach(pilot, stage)  # type: ignore[arg-type]

    assert snap_compare(stage.app, terminal_size=SCENE_SIZE, run_before=reach)
