"""The benchmark harness (README.md): ``python bench/run.py``."""
