"""The command line: the typer app in `app` (with `main()`, the console
script), one module per group of commands (`check`, `git`, `views`,
`catalogue`, `init`), the options they share (`options`), and what the
commands and `quick` (`validate FILE...` without typer, for pre-commit)
both use to write to standard output (`stdout`). Each command parses its
options, calls the library, renders and exits. Nothing here imports typer:
`quick` must start without it."""
