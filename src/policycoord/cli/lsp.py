"""`lsp`: the editor server (Language Server Protocol over standard input
and output), for the partnership around the editor's workspace."""

from __future__ import annotations

from policycoord.cli.options import PartnershipOpt


def lsp(partnership: PartnershipOpt = None) -> None:
    """Serve the whole partnership's checks to an editor, over standard input and output.

    Start it from the editor (docs/editors.md shows how, for VS Code, Neovim,
    Helix and Zed); it reads the partnership around the editor's workspace.
    """
    from policycoord.lsp.server import serve

    serve(partnership)
