"""Benchmarks: start-up, answer latency, memory and a large synthetic collection.

Run `python -m studyapp.bench`. Nothing on the app's normal path imports this package.
"""
