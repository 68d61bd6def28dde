"""Start-up: connecting, the demo sandbox, the forked first request, the debug log."""
