"""`policycoord serve`: the browser workspace, a front end.

The partnership's policies in a browser on this computer: a dashboard of the
check (the HTML report's own parts), each organisation's policy to read with
its findings beside the fields, a form for each section (`views.forms`),
saved through `policycoord.editing` and checked again (`workflows.workspace`),
a new organisation's file, and the mission workshop.

security.py (the Guard every request passes: Host, token and cookie,
Origin, size, headers), app.py (addresses and handlers), state.py (what
addresses name), pages.py and reading.py (pages to read), sections.py (the
forms), writing.py (saving a change), creating.py (a new organisation),
workshop.py, server.py (uvicorn, the printed address, Ctrl-C).
"""
