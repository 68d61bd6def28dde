"""The command line: argument parsing, one-shot commands and their outputs."""
