# bouncekeeper's one image: web, worker, sync worker and beat run it with different commands
# (docker-compose.yml, Procfile). Built in two stages: the project and its dependencies are
# installed into a virtualenv at build time, and only that virtualenv is copied into the
# runtime stage, which runs as an unprivileged user.
#
# The base is python:3.11-slim-bookworm pinned by digest. The digest was looked up with a code
# search of public repositories: a project's architecture decision record lists it as checked
# against Docker Hub. This machine cannot reach Docker Hub, so it was not re-verified here;
# check or refresh it with `docker buildx imagetools inspect python:3.11-slim-bookworm`.
FROM python:3.11-slim-bookworm@sha256:2e32f7d302adc1c37428355c1e646897c0c53f4fd60b6a551245fb90ee129f91 AS base
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

FROM base AS build
WORKDIR /src
RUN python -m venv /opt/bouncekeeper
COPY pyproject.toml README.md ./
COPY app ./app
COPY tasks ./tasks
RUN /opt/bouncekeeper/bin/pip install --no-cache-dir .

FROM base
RUN groupadd --system --gid 10001 bouncekeeper \
    && useradd --system --uid 10001 --gid bouncekeeper --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin bouncekeeper \
    && install -d -o bouncekeeper -g bouncekeeper -m 0700 /tmp/bouncekeeper-metrics
COPY --from=build /opt/bouncekeeper /opt/bouncekeeper
# Each container keeps its processes' metric values here (docker-compose.yml mounts a tmpfs,
# emptied at each start); gunicorn and Celery's pool add them up (docs/OPERATIONS.md, Metrics).
ENV PATH=/opt/bouncekeeper/bin:$PATH \
    PROMETHEUS_MULTIPROC_DIR=/tmp/bouncekeeper-metrics
WORKDIR /tmp
USER 10001:10001
EXPOSE 8000 9100
CMD ["gunicorn", "-c", "python:app.gunicorn_conf", "--bind", "0.0.0.0:8000", "--workers", "2", "app:create_app()"]
