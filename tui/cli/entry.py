"""The `wallet-tui` console script and `python -m tui`: the command line, loaded fast."""

from __future__ import annotations

import gc
import os
import signal
import sys

from tui.cli.exit_codes import EXIT_INTERRUPTED


def main() -> int:
    """Load the command line and run it with the process's arguments; the exit code.

    Interrupted by Ctrl+C, the process ends by SIGINT itself once it has cleaned up
    (the shell still shows 130): see `end_by_interrupt`.
    """
    # Loading the command line creates tens of thousands of objects and no garbage, yet
    # the collector's automatic passes over them (20) cost about 3 ms before the
    # dashboard can start. The dashboard keeps the collector off until its first frame
    # (tui.ui.launch); every other command gets it back before it runs.
    gc.disable()
    try:
        from tui.cli.main import main as run_command
    except KeyboardInterrupt:  # Ctrl+C this early: quiet, as the command line's own
        return end_by_interrupt()
    finally:
        gc.enable()
    code = run_command()
    return end_by_interrupt() if code == EXIT_INTERRUPTED else code


def end_by_interrupt() -> int:
    """End the process by SIGINT, as a program Ctrl+C stopped; returns 130 where it cannot.

    A shell running a loop or a script stops it only when the command it waited for
    was killed by SIGINT: an exit status of 130 alone makes bash carry on with the next
    command (`for a in A B; do wallet-tui balances; done` would need Ctrl+C twice).
    So, the output flushed and the terminal as it was, the default action of SIGINT is
    put back and the signal sent again; the shell then reports 130 as usual.
    """
    from contextlib import suppress

    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):  # (a closed pipe or stream: nothing to add)
            stream.flush()
    if hasattr(signal, "SIGINT") and sys.platform != "win32":
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    return EXIT_INTERRUPTED
