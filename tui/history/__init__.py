"""Balance history on disk: one SQLite file shared by every wallet-tui window of a user.

- `schema`: the tables, their version number and the migrations from older versions.
- `store`: `HistoryStore`, one connection; appends balances and alerts, reads them back.
- `writer`: `HistoryWriter`, a thread that owns the store so that the UI never waits on disk.
- `series`: pure helpers that turn stored totals into a sparkline's points and an exact change.

Nothing here imports Textual or httpx; no credential, token or header is ever written: the
rows hold the base URL (which may not contain a user or password, see `tui.config.values`),
the wallet id, the time, the asset, its amounts and the value in the quote currency.
"""
