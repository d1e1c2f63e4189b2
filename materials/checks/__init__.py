"""Upload checks (DOC-FORMAT).

`sniff` runs in the web process on the first and last bytes only (type, polyglot, empty, size).
Everything that parses or renders a file runs in `worker`, a separate process with memory and CPU
limits, started by `runner.run_checks`. This package does not import Django, so the worker starts fast
and a hostile file never touches the web or task process.
"""
