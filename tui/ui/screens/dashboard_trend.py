"""The dashboard's sparkline: the selected asset's total over a span (`t` cycles),
read from the history database off the UI's thread and shown in the detail pane.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from textual import work

from tui.api.models import AssetBalance
from tui.ui.screens.dashboard_base import DashboardBase
from tui.ui.widgets.detail_pane import DetailPane

if TYPE_CHECKING:
    from tui.ui.widgets.trend_view import TrendLoaded

#: The sparkline's windows, as (label, seconds), in the order the key cycles through them.
SPANS: tuple[tuple[str, float], ...] = (
    ("24 h", 86400.0),
    ("7 d", 7 * 86400.0),
    ("30 d", 30 * 86400.0),
)


class DashboardTrend(DashboardBase):
    """Asks the history for the sparkline when the selection, span or balance changes."""

    #: Which of SPANS the sparkline shows (`t` cycles), and what was last asked for it.
    _span_index: int
    _trend_key: tuple[object, ...] | None
    _trend_at: datetime | None

    def _load_trend(self, balance: AssetBalance | None, *, force: bool = False) -> None:
        """Ask the history for the selected asset's total over the span shown.

        Asked again when the selection, the span or the asset's balances change, or
        when the last answer is a minute old (the window moves on): not at every refresh.
        """
        recorder = self.services.recorder
        detail = self.query_one(DetailPane)
        if balance is None:
            self._trend_key = None
            return
        if not recorder.keeps_history:
            detail.trend_unavailable(None)
            return
        now = self.services.now()
        key = (self.wallet_id, balance.asset, self._span_index, id(balance))
        fresh = self._trend_at is not None and (now - self._trend_at).total_seconds() < 60
        if key == self._trend_key and fresh and not force:
            return
        self._trend_key, self._trend_at = key, now
        label, seconds = SPANS[self._span_index]
        self._read_trend(
            self.client.base_url, self.wallet_id, balance.asset, balance.total, label, seconds
        )

    @work(group="trend", exclusive=True, exit_on_error=False)
    async def _read_trend(
        self,
        base_url: str,
        wallet: str | None,
        asset: str,
        total: Decimal,
        label: str,
        seconds: float,
    ) -> None:
        future = self.services.recorder.trend(base_url, wallet, asset, seconds, total)
        try:
            trend = await asyncio.wrap_future(future)
        except Exception as error:
            # Imported only when a read fails: this worker starts before the first frame.
            from tui.history.errors import HistoryError

            if not isinstance(error, HistoryError):
                raise
            trend, failed = None, True
        else:
            failed = False
        # The sparkline's module, with the answer: the history opens after the first frame.
        from tui.ui.widgets.trend_view import TrendLoaded

        self.post_message(TrendLoaded(asset, label, trend, failed=failed))

    def on_trend_loaded(self, message: TrendLoaded) -> None:
        detail = self.query_one(DetailPane)
        if detail.balance is None or detail.balance.asset != message.asset:
            return  # the selection moved on meanwhile
        if message.failed:
            detail.trend_unavailable(self.services.recorder.history_state)
        else:
            detail.show_trend(message.trend, message.span)

    def action_trend_span(self) -> None:
        """Switch the sparkline's span: 24 h, 7 d, 30 d."""
        self._span_index = (self._span_index + 1) % len(SPANS)
        self._load_trend(self.query_one(DetailPane).balance, force=True)
