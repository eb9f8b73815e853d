"""The OpenAPI document of the API as committed in docs/openapi.json."""

import json

from django.conf import settings
from django.utils import translation

from ninja.responses import NinjaJSONEncoder

COMMITTED = settings.BASE_DIR / "docs" / "openapi.json"


def openapi_text() -> str:
    """
    Return the OpenAPI document as JSON text: sorted keys, indent 2, one
    final newline, in the default language, so that the same code always
    gives the same bytes.
    """
    from motcua.api import api

    with translation.override(settings.LANGUAGE_CODE):
        schema = api.get_openapi_schema()
        text = json.dumps(
            schema, cls=NinjaJSONEncoder, sort_keys=True, indent=2, ensure_ascii=False
        )
    return text + "\n"
