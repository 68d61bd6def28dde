"""`python -m tui` runs the same entry point as the `wallet-tui` console script."""

from tui.cli.entry import main

raise SystemExit(main())
