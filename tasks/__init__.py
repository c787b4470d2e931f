"""Celery tasks: thin wrappers that decode arguments and call plain functions in app/.

This package imports app/, never the reverse; the web publishes by task name.
"""
