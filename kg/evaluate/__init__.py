"""Evaluation helpers: readers for shared annotated corpora and scoring utilities."""
