"""Input: from files to data. Discovery (which files), loading (bytes -> data
and a source map; PC001/2/5/9), validation (the JSON Schema; PC003 in plain
English) and reading (one file or many, serial or in worker processes).
Imports only core."""
