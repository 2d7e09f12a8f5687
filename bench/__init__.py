"""Benchmarks of the running platform (``python -m bench.pipeline``).

Nothing is imported here: ``bench.pipeline`` must monkey-patch the process with
eventlet (`shared.green`) before the standard library's threading and sockets load.
"""
