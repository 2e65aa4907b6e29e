"""A throwaway tenant app of the scale benchmark (tests/benchmarks/settings.py
installs it only in the benchmark's scratch run)."""
