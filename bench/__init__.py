"""`python -m bench`: a generated city, a real gunicorn server, measured HTTP scenarios.

See docs/benchmarks.md for the method and the latest figures, and
`python -m bench --help` for the options.
"""
