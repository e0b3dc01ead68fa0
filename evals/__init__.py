"""Prompt/model evaluation harness: datasets, metrics, runner, reports (see evals/README.md)."""
