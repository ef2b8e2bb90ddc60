"""Benchmarks and the synthetic-plan generator; a package so that tests import bench.generate."""
