"""The catalog side panels and their tables: funding sources, roles, monitoring methods."""
