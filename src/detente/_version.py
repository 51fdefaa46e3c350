"""The package version, in a module of its own so that every layer can read it without
importing ``detente/__init__.py``'s functions (which reach up to the pipeline)."""

__version__ = "0.1.0"
