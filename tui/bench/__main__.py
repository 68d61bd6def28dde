"""`python -m tui.bench`: run the benchmark and print its table."""

from tui.bench.run import main

raise SystemExit(main())
