"""Workflows: what a command does from start to end (a check of a repository,
diff and history over git revisions, init). Imports every stage before it."""
