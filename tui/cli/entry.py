"""The `wallet-tui` console script and `python -m tui`: the command line, loaded fast."""

from __future__ import annotations

import gc

from tui.cli.exit_codes import EXIT_INTERRUPTED


def main() -> int:
    """Load the command line and run it with the process's arguments; the exit code."""
    # Loading the command line creates tens of thousands of objects and no garbage, yet
    # the collector's automatic passes over them (20) cost about 3 ms before the
    # dashboard can start. The dashboard keeps the collector off until its first frame
    # (tui.ui.launch); every other command gets it back before it runs.
    gc.disable()
    try:
        from tui.cli.main import main as run_command
    except KeyboardInterrupt:  # Ctrl+C this early: quiet, as the command line's own
        return EXIT_INTERRUPTED
    finally:
        gc.enable()
    return run_command()
