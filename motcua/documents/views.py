"""
Downloads of dossier files (staff, access-checked and logged) and the public
verification page of signed documents (/verify/).
"""

import io

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
)
from django.shortcuts import render
from django.urls import NoReverseMatch
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.core.exceptions import DomainError, NotFound
from motcua.core.net import client_ip

from . import selectors, services
from .constants import PDF
from .validation import FileRefused, inspect_file, max_bytes


@require_GET
def dossier_file_download(
    request: HttpRequest, dossier_id: int, file_id: int
) -> HttpResponseBase:
    """Send a dossier's file to staff who may see the dossier; log the access."""
    if not request.user.is_authenticated:
        try:
            return redirect_to_login(request.get_full_path())
        except NoReverseMatch:  # the staff UI (and its login) is not mounted
            raise Http404 from None
    try:
        download = services.dossier_file_download(
            request.user,
            dossier_id=dossier_id,
            file_id=file_id,
            ip_address=client_ip(request),
        )
    except NotFound:
        raise Http404 from None
    response = FileResponse(
        io.BytesIO(download.data),
        as_attachment=True,
        filename=download.filename,
        content_type=download.file.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


class VerifyForm(forms.Form):
    file = forms.FileField(label=_("Tệp PDF đã ký số"))


@require_http_methods(["GET", "POST"])
def verify_upload(request: HttpRequest) -> HttpResponse:
    """Public: upload a signed PDF and see whether its signatures hold."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    verification = None
    error = ""
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > max_bytes():
                raise FileRefused(_("Tệp quá lớn để kiểm tra."), code="file_too_large")
            data = upload.read()
            info = inspect_file(data, name=upload.name)
            if info.content_type != PDF:
                raise FileRefused(
                    _("Chỉ kiểm tra được tệp PDF có chữ ký số."), code="not_a_pdf"
                )
            verification = selectors.document_verify(data)
        except DomainError as exc:
            error = str(exc.message)
            status = 422
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "documents/verify.html",
        {"form": form, "verification": verification, "error": error},
        status=status,
    )


@require_GET
def verify_document(request: HttpRequest, code: str) -> HttpResponse:
    """
    Public: the page the QR code of an e-result opens. It shows the document's
    type, issuer, signer, time, integrity of the stored copy, and whether a
    correction replaced it; not the holder's personal data nor the file.
    """
    document = selectors.result_get_by_code(code)
    if document is None:
        return render(
            request,
            "documents/verify.html",
            {"form": VerifyForm(), "not_found": code},
            status=404,
        )
    try:
        verification = selectors.document_verify(
            services.stored_file_read(document.file)
        )
        error = ""
    except DomainError as exc:
        verification, error = None, str(exc.message)
    return render(
        request,
        "documents/verify.html",
        {
            "form": VerifyForm(),
            "document": document,
            "current": selectors.result_current(document),
            "verification": verification,
            "error": error,
        },
    )
