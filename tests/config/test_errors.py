"""Error pages: 404, 403, 405 and 500 in the site's layout and the reader's language."""

from __future__ import annotations

import pytest
from django.http import HttpResponseNotAllowed, JsonResponse
from django.test import RequestFactory
from django.utils import translation
from django.views import defaults

from config.errors import MethodNotAllowedPageMiddleware

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "title"), [("en", "Page not found"), ("zh-hans", "页面不存在")])
def test_an_unknown_page_answers_404_in_the_site_layout_and_the_readers_language(client, language, title):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 404
    html = response.content.decode()
    assert f'<h1 id="error-title">{title}</h1>' in html
    assert 'class="site-header"' in html  # the site's own layout, with its menu and language switch


def test_a_refused_method_answers_405_with_the_page_and_keeps_the_allow_header(rf: RequestFactory):
    middleware = MethodNotAllowedPageMiddleware(lambda request: HttpResponseNotAllowed(["POST"]))
    request = rf.get("/delegations/1/athletes/")
    request.user = None

    with translation.override("en"):
        response = middleware(request)

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert '<h1 id="error-title">This action is not available here</h1>' in response.content.decode()


def test_the_api_keeps_its_own_405(rf: RequestFactory):
    answer = JsonResponse({"detail": "Method not allowed"}, status=405)
    middleware = MethodNotAllowedPageMiddleware(lambda request: answer)

    assert middleware(rf.get("/api/devices/scan")) is answer


@pytest.mark.parametrize(("language", "title"), [("en", "Something went wrong"), ("zh-hans", "出错了")])
def test_the_500_page_stands_alone_in_the_readers_language(rf: RequestFactory, language, title):
    with translation.override(language):
        response = defaults.server_error(rf.get("/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert f'<h1 id="error-title">{title}</h1>' in html
    assert "site-header" not in html  # no database read: the layout's menu needs the user


def test_the_403_page_reads_in_the_site_layout(rf: RequestFactory, client):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    with translation.override("zh-hans"):
        response = defaults.permission_denied(request, exception=None)

    assert response.status_code == 403
    assert '<h1 id="error-title">无权操作</h1>' in response.content.decode()


def test_the_favicon_is_served_by_the_app(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"
