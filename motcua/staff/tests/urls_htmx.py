"""
The project's URLs plus two htmx endpoints, for the browser test of the
422 form-error path (docs/adr/0001-htmx-2.md) and of the error toast.
"""

from django.http import HttpResponse
from django.template import Context, RequestContext, Template
from django.urls import include, path
from django.views.decorators.http import require_http_methods

from motcua.urls import urlpatterns as project_urlpatterns

FORM = Template(
    """{% load i18n %}
<form id="code-form" class="form" hx-post="/test/htmx-form/" hx-target="this" hx-swap="outerHTML">
  <div class="field{% if error %} field--error{% endif %}">
    <label for="code">Mã hồ sơ</label>
    {% if error %}<ul class="errorlist" id="code-error"><li>{{ error }}</li></ul>{% endif %}
    <input id="code" name="code" type="text" value="{{ value }}"{% if error %} aria-invalid="true" aria-describedby="code-error"{% endif %}>
  </div>
  {% if saved %}<p class="alert alert--success" role="status">Đã lưu {{ value }}.</p>{% endif %}
  <button type="submit" class="btn btn--primary">Lưu</button>
  <button type="button" class="btn btn--secondary" hx-post="/test/htmx-error/" hx-target="#code-form">Lỗi máy chủ</button>
</form>"""
)
PAGE = Template(
    """{% extends "staff/base.html" %}
{% block title %}htmx{% endblock %}
{% block content %}<h1>htmx</h1>{{ form }}{% endblock %}"""
)


@require_http_methods(["GET", "POST"])
def htmx_form(request):
    if request.method == "GET":
        form = FORM.render(Context({}))
        return HttpResponse(PAGE.render(RequestContext(request, {"form": form})))
    value = request.POST.get("code", "")
    if not value.isdigit():
        return HttpResponse(
            FORM.render(Context({"value": value, "error": "Mã hồ sơ chỉ gồm chữ số."})),
            status=422,
        )
    return HttpResponse(FORM.render(Context({"value": value, "saved": True})))


def htmx_error(request):
    return HttpResponse("boom", status=500)


urlpatterns = [
    path("test/htmx-form/", htmx_form),
    path("test/htmx-error/", htmx_error),
    path("", include(project_urlpatterns)),
]
