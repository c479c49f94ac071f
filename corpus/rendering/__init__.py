"""Render the fictional DTP sample corpus from its Markdown/YAML sources."""
