"""Background tasks of the integrations: fetch by id, call the service."""

from django.tasks import task

from .portal import services


@task
def portal_sync_flush(dossier_id: int) -> None:
    services.portal_sync_flush(dossier_id)
