"""The admin API's flask-smorest setup: OpenAPI 3 at `/api/v1/openapi.json`, Swagger UI at
`/api/v1/docs`, one error body, bearer auth with two scopes.

Adding an API blueprint is one line: build it with this module's `Blueprint` (validation
errors become 400s, `@bp.auth(READ | ADMIN)` checks the token and documents it) and append it
to BLUEPRINTS. A plain Flask blueprint keeps registering on the app as before.

The spec is committed as docs/openapi.json and tests/integration/test_openapi.py fails when it
drifts from the code. Regenerate it with `make openapi` (that is,
`python -m app.web.api docs/openapi.json`) and commit the result.

Swagger UI's scripts are served from the `swagger-ui-bundle` package's own files, so the docs
page works without any CDN.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, ClassVar

import flask_smorest
import marshmallow as ma
from flask import Blueprint as FlaskBlueprint
from flask import Flask
from swagger_ui_bundle import swagger_ui_path
from webargs.flaskparser import FlaskParser
from werkzeug.routing import PathConverter

from app.web.auth import authorize

PREFIX = "/api/v1"
BEARER = "bearerAuth"


class ErrorSchema(ma.Schema):
    status = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    message = ma.fields.String(required=True)
    fields = ma.fields.Dict(metadata={"description": "the fields that are wrong, and why"})


class ErrorBodySchema(ma.Schema):
    """`{"error": {...}}`, the body of every error, from the API and the webhooks alike."""

    error = ma.fields.Nested(ErrorSchema, required=True)


class AddressConverter(PathConverter):
    """An address in a path: anything, slashes included, but the names of the collection's
    own sub-resources (`import`, `export`, `check`), so those paths belong to them alone."""

    regex = r"(?!(?:import|export|check)$)[^/].*?"


def _address_param(converter: PathConverter) -> dict[str, str]:
    return {"type": "string", "format": "email"}


class Parser(FlaskParser):
    """400 for invalid input, and an unknown query parameter or body field is invalid: a
    misspelt filter must not quietly widen a listing or an export, nor a misspelt `force` or
    `actor` quietly fall back to its default."""

    DEFAULT_VALIDATION_STATUS = 400
    DEFAULT_UNKNOWN_BY_LOCATION: ClassVar[dict[str, str | None]] = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": ma.RAISE,
        "json": ma.RAISE,
    }


class Blueprint(flask_smorest.Blueprint):
    """A smorest blueprint whose validation errors are 400 and whose views declare a scope."""

    ARGUMENTS_PARSER = Parser()

    def auth(self, scope: str) -> Callable[[Callable], Callable]:
        """Check the bearer token for `scope` before anything else, and document it."""

        def decorate(view: Callable) -> Callable:
            @wraps(view)
            def guarded(*args: Any, **kwargs: Any) -> Any:
                authorize(scope)
                return view(*args, **kwargs)

            guarded = self.doc(security=[{BEARER: []}])(guarded)
            guarded = self.alt_response(401, response="UNAUTHORIZED")(guarded)
            guarded = self.alt_response(503, response="SERVICE_UNAVAILABLE")(guarded)
            return self.alt_response(403, response="FORBIDDEN")(guarded)

        return decorate


class Api(flask_smorest.Api):
    """Errors go through app.web.errors (registered by the factory), not smorest's body."""

    ERROR_SCHEMA = ErrorBodySchema

    def _register_error_handlers(self) -> None:
        """app.web.errors already handles every HTTPException with the uniform body."""


CONFIG = {
    "API_TITLE": "bouncekeeper admin API",
    "API_VERSION": "1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": PREFIX,
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": f"{PREFIX}/docs/assets/",
    "API_SPEC_OPTIONS": {
        "info": {
            "description": "Is this address suppressed, why, since when; fix mistakes; import "
            "and export the list. Bearer tokens: `read` for every GET, `admin` for writes."
        },
        "components": {"securitySchemes": {BEARER: {"type": "http", "scheme": "bearer"}}},
    },
}


def blueprints() -> list[flask_smorest.Blueprint]:
    """Every API blueprint, in the order the spec lists them."""
    from app.web import admin, stats, suppressions

    return [suppressions.bp, admin.bp, stats.bp]


PLAIN_TAGS = [
    {"name": "webhooks", "description": "The ESPs' events in; each ESP's own authentication."},
    {"name": "health", "description": "Liveness, readiness and metrics; no token."},
]


def document_plain_routes(flask_app: Flask, api: Api) -> None:
    """The routes outside the admin API (webhooks, health, metrics) in the same spec, so one
    document says what every URL takes and answers. Their views are plain Flask, so their
    operations are written out beside each view (OPENAPI_PATHS, keyed by the Flask rule)."""
    from app.web import health, observability, webhooks

    rules = {rule.rule: rule for rule in flask_app.url_map.iter_rules()}
    for tag in PLAIN_TAGS:
        api.spec.tag(tag)
    for module in (webhooks, health, observability):
        for rule, operations in module.OPENAPI_PATHS.items():
            documented = copy.deepcopy(operations)
            path_params = [
                param
                for operation in documented.values()
                for param in operation.pop("parameters", [])
                if param["in"] == "path"
            ]
            api.spec.path(rule=rules[rule], operations=documented, parameters=path_params)


def init_api(flask_app: Flask) -> Api:
    flask_app.config.update(CONFIG)
    flask_app.url_map.converters["address"] = AddressConverter
    api = Api(flask_app)
    api.register_converter(AddressConverter, _address_param)
    for bp in blueprints():
        api.register_blueprint(bp)
    document_plain_routes(flask_app, api)
    assets = FlaskBlueprint(
        "swagger_ui_assets",
        __name__,
        static_folder=str(swagger_ui_path),
        static_url_path=f"{PREFIX}/docs/assets",
    )
    flask_app.register_blueprint(assets)
    return api


def spec_json(api: Api) -> str:
    """The spec exactly as committed in docs/openapi.json."""
    return json.dumps(api.spec.to_dict(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    from app import create_app
    from app.config import Settings

    text = spec_json(create_app(Settings()).extensions["bouncekeeper_api"])
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        out.write(text)
