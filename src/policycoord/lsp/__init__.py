"""`policycoord lsp`: the editor server (Language Server Protocol over
standard input and output, through pygls). A front end, thin: diagnostics
are the findings of `policycoord check` over the whole partnership (the
editor's unsaved buffers in place of their files), and everything else
(hover, completion, definition, references, rename, code actions) reads the
same model, the same views (`views.choices`) and the same editing layer as
the other front ends; it has no checks of its own.

symbols.py (where each role, duty and concern is defined and named),
text.py (positions: lines, columns, UTF-16, the token at a place),
answers.py (completion, definition, references, rename, fixes, fix-all),
hover.py (hover, in escaped Markdown),
session.py (the workspace held between edits, diagnostics), protocol.py
(JSON-RPC's error answers where pygls drops a message), server.py
(the protocol: pygls features, the background check, errors kept away
from the editor).
"""
