"""Evaluation data that is not part of the analysis itself (gold loaders, checks)."""
