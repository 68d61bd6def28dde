"""The rows of the benchmark's table, how they are printed, and the machine they ran on."""

from __future__ import annotations

import os
import platform
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PASS = "PASS"
FAIL = "FAIL"
NOT_AVAILABLE = "n/a"
#: A part that broke: its rows say why.
ERROR = "ERROR"
#: A row that reports a figure without a budget of its own.
INFO = "-"
#: The result of every row of a quick run: its figures are not judged against budgets.
NOT_JUDGED = "not judged"
#: Why, printed above a quick run's table.
QUICK_NOTE = (
    "--quick: tiny sizes, with parts run side by side, only to check that every row runs; "
    "the figures mean nothing and are not judged against the budgets "
    "(run without --quick for that)."
)


def unjudged(row: Row) -> Row:
    """`row` with its PASS or FAIL replaced by NOT_JUDGED (n/a and ERROR stay: they say
    whether the row could run at all)."""
    if row.result in (PASS, FAIL):
        return Row(row.key, row.measure, row.figure, row.compared, row.budget, NOT_JUDGED)
    return row


HEADERS = ("#", "measure", "figure", "compared in the same run", "budget", "result")


@dataclass(frozen=True)
class Row:
    """One line of the table; `key` ("1a", "2d"...) is stable across runs and modes."""

    key: str
    measure: str
    figure: str
    compared: str
    budget: str
    result: str

    @classmethod
    def unavailable(cls, key: str, measure: str, budget: str, reason: str) -> Row:
        """A row that could not be measured here, saying why."""
        return cls(key, measure, NOT_AVAILABLE, reason, budget, NOT_AVAILABLE)

    @property
    def cells(self) -> tuple[str, ...]:
        """The row's cells in column order."""
        return (self.key, self.measure, self.figure, self.compared, self.budget, self.result)


def verdict(ok: bool) -> str:
    """PASS or FAIL."""
    return PASS if ok else FAIL


def ms(seconds: float) -> str:
    """Seconds shown as milliseconds with sensible precision ("0.42 ms", "12.3 ms", "415 ms")."""
    value = seconds * 1000
    if value < 10:
        return f"{value:.2f} ms"
    if value < 100:
        return f"{value:.1f} ms"
    return f"{value:.0f} ms"


def ratio(value: float) -> str:
    """A ratio as "3.2x" (or "0.41x")."""
    return f"{value:.2f}x" if value < 10 else f"{value:.0f}x"


def median(values: Iterable[float]) -> float:
    """The median, robust against a stray slow round caused by the rest of the machine."""
    return statistics.median(list(values))


def render_text(rows: Sequence[Row]) -> str:
    """The table as aligned plain text, for a terminal."""
    table = [HEADERS, *(row.cells for row in rows)]
    widths = [max(len(cells[i]) for cells in table) for i in range(len(HEADERS))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))

    lines = [line(cells).rstrip() for cells in table]
    lines.insert(1, line(["-" * width for width in widths]))
    return "\n".join(lines) + "\n"


def render_markdown(rows: Sequence[Row]) -> str:
    """The table in Markdown, for the README."""

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    out = [line(HEADERS), "|" + "---|" * len(HEADERS)]
    out.extend(line(row.cells) for row in rows)
    return "\n".join(out) + "\n"


def cpu_model() -> str:
    """The CPU's model name (from /proc/cpuinfo on Linux), or what `platform` knows."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def machine_details() -> list[tuple[str, str]]:
    """What the figures depend on: CPU, cores, OS, Python and the libraries on the path."""
    from importlib.metadata import PackageNotFoundError, version

    def package(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        ("CPU", cpu_model()),
        ("cores", str(cores)),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("Textual", package("textual")),
        ("httpx", package("httpx")),
    ]
