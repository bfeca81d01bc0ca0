"""Benchmarks for failwise: set-logging throughput and latency over HTTP (``python -m bench``)."""
