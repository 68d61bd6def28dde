"""Every exit code `wallet-tui` returns, in one place (README, "Exit codes", lists the same).

The line between 2 and 4: 2 means the command as given cannot work (a flag, a value, a
setting, a file it names must change); 4 means it was right but the world did not
answer (the exchange, the network, a port another program holds, a disk): the same
command may work later. Codes above 128 are 128 + a signal's number, as a shell reports
a program ended by that signal.
"""

from __future__ import annotations

EXIT_OK = 0
#: A bug (or a broken installation): the one line names the exception to report it by.
EXIT_INTERNAL = 1
#: Bad usage or configuration: a flag, a value, a config file, a base URL or wallet id.
EXIT_USAGE = 2
#: The exchange refused the credentials (the API key, the email and password).
EXIT_AUTH = 3
#: Network, server or I/O failure: the exchange unreachable or failing, a port in use,
#: the history database or the output unreadable or unwritable.
EXIT_FAILURE = 4
#: The dashboard's terminal went away (128 + SIGHUP).
EXIT_HANGUP = 129
#: Ctrl+C (128 + SIGINT).
EXIT_INTERRUPTED = 130
#: Ended by SIGTERM (`kill`, `timeout`), 128 + 15: the dashboard returns it with its
#: terminal restored; the sandbox (uvicorn) stops gracefully, then ends by the signal.
EXIT_TERMINATED = 143
#: The reader of the output went away (`| head`): 128 + SIGPIPE, quietly, as `cat` ends.
EXIT_BROKEN_PIPE = 141

#: Every code above: what a test holds the README's list against.
ALL = (
    EXIT_OK,
    EXIT_INTERNAL,
    EXIT_USAGE,
    EXIT_AUTH,
    EXIT_FAILURE,
    EXIT_HANGUP,
    EXIT_INTERRUPTED,
    EXIT_BROKEN_PIPE,
    EXIT_TERMINATED,
)
