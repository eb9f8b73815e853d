"""
The REST API, version 1, mounted at /api/v1/: one router per domain, one
error envelope (``motcua.api_v1.errors``), authentication by API token or
the web UI's session (``motcua.api_v1.auth``).

OpenAPI at /api/v1/openapi.json, interactive docs at /api/v1/docs; the docs
page loads Swagger UI from ninja's own static files (``ninja`` is in
INSTALLED_APPS), so it runs under the project's CSP without a CDN.
"""

from ninja import NinjaAPI, Swagger
from ninja.operation import Operation

from motcua.api_v1 import dossiers, errors, forms, procedures, units
from motcua.api_v1.auth import BearerToken, SessionAuth


class MotcuaAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # Short, stable ids for generated clients: dossier_create, inbox…
        return operation.view_func.__name__.removesuffix("_view")


api = MotcuaAPI(
    urls_namespace="api-v1",
    version="1",
    title="motcua API",
    description=(
        "Reception and resolution of administrative procedures under the "
        "one-stop mechanism (Decree 118/2025/NĐ-CP). Errors are "
        '`{"code", "message", "extra"}`; messages are Vietnamese unless '
        "`Accept-Language: en`. See docs/api.md for a walkthrough."
    ),
    auth=[BearerToken(), SessionAuth()],
    # No online validator badge: it would fetch an outside URL.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)
errors.install(api)

api.add_router("", dossiers.router)
api.add_router("", forms.router)
api.add_router("", procedures.router)
api.add_router("", units.router)
