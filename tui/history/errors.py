"""The one error of the history package (its own module, so importing it loads no SQLite)."""


class HistoryError(Exception):
    """The history database cannot be used; `str()` says why, in a user's words."""
