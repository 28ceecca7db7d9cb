"""Further `python -m etl` subcommands, one module each.

Each module defines `register(subparsers, add)`, where `add(name, func, help)`
creates a subparser that already takes `--db PATH`; `func(args) -> int` returns
the exit code (0 ok, 1 invalid input, 2 usage error). `etl.cli` finds the
modules here by themselves, so adding a command touches no other file.
"""
