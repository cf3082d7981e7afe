"""Output: reports as text. Atomic writing, the one format registry, and one
reporter per format (reporters/). Reporters only format; they never decide."""
