"""Performance benchmark with budgets: `python -m tui.bench` (add `--quick` for a short run).

It measures, on the machine it runs on, and compares within the same run:

1. parsing a `/v2/balance` answer of 10 to 5,000 assets;
2. applying a refresh to the balance grid, headless, against the naive clear-and-add;
3. start-up to the first dashboard frame with data, against a bare Textual app;
4. CPU per refresh at a 1 s interval, against `curl | jq` for the same request;
5. resident memory growth over thousands of refreshes.

Each row of the table shows the figure, what it was compared with, the budget and
PASS or FAIL. Rows that cannot run here (no pty, no curl) say "n/a" and why.
"""
