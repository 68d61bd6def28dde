"""wallet-tui: a terminal dashboard for the wallet balances of a Kuna Core exchange account."""

__version__ = "0.1.0"
