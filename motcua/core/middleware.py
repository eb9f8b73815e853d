"""Request middleware shared by the staff UI and the public pages."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation


class LocaleMiddleware(DjangoLocaleMiddleware):
    """
    Vietnamese unless the visitor chose another language with the switcher.

    Django's middleware also follows the browser's Accept-Language, which would
    show English to a Vietnamese officer whose browser happens to be set to
    English. Vietnamese is the language of the procedures (Decree 118); the
    choice stored in the language cookie by ``set_language`` is the only way
    out of it.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        languages = dict(settings.LANGUAGES)
        language = chosen if chosen in languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
