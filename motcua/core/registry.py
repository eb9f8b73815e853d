"""
A small plugin registry: a decorator registers a plugin class under an id and
refuses duplicates; demo plugins are hidden unless MOTCUA_DEMO_PLUGINS is on.
"""

import functools
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string


class Registry[T]:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._plugins: dict[str, type[T]] = {}

    def register(self, plugin_id: str) -> Callable[[type[T]], type[T]]:
        def decorator(cls: type[T]) -> type[T]:
            if plugin_id in self._plugins:
                raise ValueError(
                    f"{self.kind} plugin {plugin_id!r} is already registered."
                )
            cls.plugin_id = plugin_id  # type: ignore[attr-defined]
            self._plugins[plugin_id] = cls
            return cls

        return decorator

    def _allowed(self, cls: type[T]) -> bool:
        return not getattr(cls, "is_demo", False) or settings.MOTCUA_DEMO_PLUGINS

    def get(self, plugin_id: str, **options: Any) -> T:
        cls = self._plugins.get(plugin_id)
        if cls is None or not self._allowed(cls):
            raise KeyError(f"No {self.kind} plugin {plugin_id!r} is available.")
        return cls(**options)

    def __iter__(self) -> Iterator[tuple[str, type[T]]]:
        return ((pid, cls) for pid, cls in self._plugins.items() if self._allowed(cls))

    def __contains__(self, plugin_id: object) -> bool:
        return plugin_id in self._plugins


@functools.cache
def _import_all(paths: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(import_string(path) for path in paths)


def configured_callables(setting: str) -> tuple[Any, ...]:
    """
    Return the callables named by the dotted paths in ``settings.<setting>``.

    Cached per list of paths, so that a changed setting (tests use
    override_settings) takes effect at once.
    """
    return _import_all(tuple(getattr(settings, setting)))
