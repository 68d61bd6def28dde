"""Alerts: rules the user writes, when they fire, and how they reach the user.

- `rules`: `parse_rule("USDT available < 1000")` -> a typed rule, or RuleError with the reason.
- `evaluate`: `AlertEvaluator`, which fires each rule once when its condition becomes true.
- `delivery`: the desktop notification and the `--on-alert` command, on a thread of their own.

Pure Python: no Textual, no network. The app shows the notification and rings the bell.
"""
