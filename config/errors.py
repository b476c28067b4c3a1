"""A 405 answered in the site's layout and language: Django's own is an empty body."""

from __future__ import annotations

from django.template.response import TemplateResponse


class MethodNotAllowedPageMiddleware:
    """Pages (not the JSON API) that refuse a method answer with the 405 page, keeping the Allow header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code != 405
            or response.streaming
            or response.content
            or request.path.startswith("/api/")
        ):
            return response
        page = TemplateResponse(request, "405.html", status=405)
        page.render()
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page
