"""The Kuna Core API: client, models, errors. Imports no Textual; httpx + Decimal only.

Import from the submodules (`tui.api.client`, `tui.api.models`...): this package file
stays empty so that importing a light module such as `tui.api.auth` does not load httpx.
"""
