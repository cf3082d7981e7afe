"""The command line: a typer app, each command parsing its options, calling the
library, rendering and choosing the exit status. Nothing else lives here."""
