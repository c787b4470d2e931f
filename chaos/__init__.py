"""The chaos run of issue #8: real processes, real faults, and an exact oracle at the end.

`python -m chaos [--size short|full]` (`make chaos`, `make chaos CHAOS=short`) posts a
generated stream of ZeptoMail webhooks over HTTP to gunicorn while it kills a Celery worker,
crashes the state Redis and takes the broker away, then compares what Redis holds with what
the pure policy model (app.reference) computes from the same stream. Modules:

- `stream`: the contacts, their events and the requests that carry them;
- `oracle`: the expected state, from the provider's own load/parse and app.ingest.plan;
- `cluster`: the processes (two redis-servers, gunicorn, a Celery worker);
- `sink`: the sync sink check, run only when app.sinks exists (issue #6);
- `run`: the run itself.
"""
