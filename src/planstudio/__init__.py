"""Plan Studio: district improvement plans written offline, kept in one file."""

__version__ = "0.1.0"
