"""One reporter per format. A reporter is pure: `render(report, options) ->
str`. It formats; it never decides severity, filters, or exits.

The formats, their suffixes and which function renders each for which
command are registered once, in `policycoord.output.formats`, which also
holds `RenderOptions`.
"""
