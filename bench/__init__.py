"""Benchmarks, separate from the tests: `make bench` (python -m bench) runs them all.

Each one also runs alone as `python -m bench.<name>`; figures go to docs/benchmarks.md.
"""
