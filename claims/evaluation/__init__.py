"""Evaluation: gold data, metrics and evaluation data locations shared by benchmarks, training and tests."""
