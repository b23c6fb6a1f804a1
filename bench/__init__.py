"""Benchmarks, run by hand (bench/README.md): outside the layers, no app imports them."""

from pathlib import Path

# The project's folder: the benchmarks run manage.py, gunicorn and Celery from it.
ROOT = Path(__file__).resolve().parent.parent
