# Makes the default templates installable: pyproject.toml maps this folder to
# the package generator.templates, so an installed briefing ships them.
