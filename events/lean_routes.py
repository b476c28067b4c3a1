"""Lean routes: the happy path of a hot django-ninja operation answered by a plain Django view that
resolves in one step, and every other request answered by the operation itself, unchanged.

A ninja operation pays, on every request, the resolver's walk through the API's nested includes, the
operation's auth callbacks, its parameter models and a throw-away response object. A device that
scans all day only ever sends the happy path, so `lean_route` mounts a handler for it in front:

    # config/urls.py, ahead of path("api/", api.urls)
    lean_route("api/gate/scan", scan_lean, api=api, name="api-lean-scan"),

The handler's contract (`LeanHandler`):

- return a response: the answer, built the way the operation builds it (share the code);
- return None: not this handler's case (no or a bad token, a body it cannot parse or validate, ...).
  It must not have changed anything yet: the request goes on, as it is, to whatever the URLconf
  serves at this path without the lean route (the ninja operation), whose answer is returned. So
  every error status and body is the operation's own, by construction;
- raise: the exception is rendered by the API's exception handlers (`api.on_exception`), exactly as
  the operation renders an exception its view raises (and, like it, re-raises one with no handler).

A method outside `methods` always goes to the operation. The view is exempt from Django's CSRF check,
as every ninja view is: a handler must answer only requests it authenticates itself (a bearer token)
and return None for anything else, such as a session cookie, which ninja's auth checks for CSRF.
The operation stays registered, so the OpenAPI document does not change. `ENABLED` false sends every
request to the operation (tests compare the two answers; benchmarks measure the difference).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver, get_resolver, path

if TYPE_CHECKING:
    from ninja import NinjaAPI

ENABLED = True  # switched off by tests and benchmarks that compare the lean and the regular answer

LeanHandler = Callable[[HttpRequest], HttpResponseBase | None]

# Root resolver -> a resolver over the same patterns without the lean routes (built once per URLconf).
_fallbacks: weakref.WeakKeyDictionary[URLResolver, URLResolver] = weakref.WeakKeyDictionary()


def lean_route(
    route: str,
    handler: LeanHandler,
    *,
    api: NinjaAPI,
    name: str,
    methods: Sequence[str] = ("POST",),
) -> URLPattern:
    """A URL pattern for the root URLconf, listed ahead of the API's include, that answers `route`
    with `handler` (see the module docstring) and hands every other request to the API."""
    allowed = frozenset(methods)

    def view(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if ENABLED and request.method in allowed:
            try:
                response = handler(request)
            except Exception as exc:  # rendered, or re-raised, as ninja's operation does
                return api.on_exception(request, exc)
            if response is not None:
                return response
        return _regular(request)

    view.csrf_exempt = True  # as every ninja view (see the module docstring)
    view.lean_route = True
    view.__name__ = view.__qualname__ = getattr(handler, "__name__", "lean_view")
    return path(route, view, name=name)


def _regular(request: HttpRequest) -> HttpResponseBase:
    """The answer of whatever the URLconf serves at this path without its lean routes."""
    root = get_resolver(getattr(request, "urlconf", None))
    resolver = _fallbacks.get(root)
    if resolver is None:
        patterns = [
            pattern
            for pattern in root.url_patterns
            if not getattr(getattr(pattern, "callback", None), "lean_route", False)
        ]
        resolver = _fallbacks[root] = URLResolver(root.pattern, patterns)
    match = resolver.resolve(request.path_info)  # Resolver404 is a 404, as without the lean route
    request.resolver_match = match
    return match.func(request, *match.args, **match.kwargs)
