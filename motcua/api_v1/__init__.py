"""
REST API version 1 (django-ninja): one router per domain, mounted by
``motcua/api.py`` at /api/v1/. An interface app: no models, no rules of its
own; every read goes through the domain selectors and access functions,
every write through the domain services.
"""
