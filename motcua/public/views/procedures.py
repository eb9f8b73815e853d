"""
The procedure catalog for citizens: search without diacritics, and one page
per procedure saying what to bring, how long it takes, what it costs, where
to submit it and whether it can be done online.
"""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.catalog.constants import Channel, OnlineLevel, VersionStatus
from motcua.catalog.models import Procedure, ProcedureVersion, Sector
from motcua.catalog.selectors import fees_for, procedure_search

PAGE_SIZE = 20


def _with_version(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "versions",
            queryset=ProcedureVersion.objects.published(),
            to_attr="published",
        )
    )


def procedure_list(request: HttpRequest) -> HttpResponse:
    """The catalog, searched by name or code with or without diacritics."""
    query = request.GET.get("q", "").strip()[:200]
    sector = request.GET.get("sector", "")
    if query:
        procedures = procedure_search(query, limit=None)
    else:
        procedures = (
            Procedure.objects.filter(versions__status=VersionStatus.PUBLISHED)
            .select_related("sector")
            .order_by("sector__name", "name")
            .distinct()
        )
    if sector.isdigit():
        procedures = procedures.filter(sector_id=int(sector))
    page = Paginator(_with_version(procedures), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "query": query,
        "sector": sector,
        "sectors": Sector.objects.filter(
            procedure__versions__status=VersionStatus.PUBLISHED
        )
        .distinct()
        .order_by("name"),
        "params": params.urlencode(),
    }
    template = "public/procedures/list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One procedure as in force today."""
    procedure = (
        Procedure.objects.select_related("sector")
        .prefetch_related("agencies")
        .filter(code=code)
        .first()
    )
    version = (
        procedure.versions.published()
        .prefetch_related("components", "result_types", "fees")
        .first()
        if procedure
        else None
    )
    if version is None:
        raise Http404
    return render(
        request,
        "public/procedures/detail.html",
        {
            "procedure": procedure,
            "version": version,
            "components": list(version.components.all()),
            "counter_fees": fees_for(version, Channel.COUNTER),
            "online_fees": fees_for(version, Channel.ONLINE),
            "online": version.online_level != OnlineLevel.NONE
            and Channel.ONLINE in (version.channels or [Channel.ONLINE]),
            "agencies": list(procedure.agencies.all()),
        },
    )
