"""events/lean_routes.py: a handler answers the happy path, and every other request gets the ninja
operation's own answer, as if the lean route were not there.

This module is its own URLconf (pytest's `urls` mark): a small API with one operation behind a bearer
token, and a lean route for it mounted ahead of the API as config/urls.py mounts the gate scan's.
"""

from __future__ import annotations

import json

import pytest
from django.http import HttpResponse
from django.urls import path
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.security import HttpBearer
from pydantic import BaseModel, Field

from events import lean_routes
from events.lean_routes import lean_route

pytestmark = pytest.mark.urls(__name__)


class Token(HttpBearer):
    def authenticate(self, request, token):
        return token if token == "good" else None


class WordIn(BaseModel):
    word: str = Field(pattern="^[a-z]+$")


api = NinjaAPI(urls_namespace="lean-test", docs_url=None)
operation_calls: list[str] = []
handler_calls: list[str] = []


def _answer(word: str) -> HttpResponse:
    if word == "taken":
        raise HttpError(409, "That word is taken.")
    if word == "broken":
        raise RuntimeError("a bug, not an answer")
    return HttpResponse(json.dumps({"echo": word}), content_type="application/json; charset=utf-8")


@api.post("/echo", auth=Token())
def echo(request, payload: WordIn):
    operation_calls.append(payload.word)
    return _answer(payload.word)


@api.post("/other", auth=Token())
def other(request):
    return {"other": True}


def echo_lean(request):
    if request.META.get("HTTP_AUTHORIZATION") != "Bearer good":
        return None
    try:
        payload = WordIn.model_validate(json.loads(request.body))
    except Exception:  # the operation answers it
        return None
    handler_calls.append(payload.word)
    return _answer(payload.word)


def handler404(request, exception):  # the site's 404 page links to pages this URLconf does not have
    return HttpResponse("not found", status=404)


urlpatterns = [
    lean_route("api/echo", echo_lean, api=api, name="lean-echo"),
    lean_route("api/nowhere", echo_lean, api=api, name="lean-nowhere"),
    path("api/", api.urls),
]


@pytest.fixture(autouse=True)
def _calls():
    operation_calls.clear()
    handler_calls.clear()


def send(client, body, *, token="good", method="post", route="/api/echo"):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return getattr(client, method)(route, data=data, content_type="application/json", **headers)


def answer(response):
    return response.status_code, response["Content-Type"], response.content


def test_the_happy_path_is_answered_by_the_handler_alone(client):
    response = send(client, {"word": "hello"})

    assert (response.status_code, response.json()) == (200, {"echo": "hello"})
    assert (handler_calls, operation_calls) == (["hello"], [])


@pytest.mark.parametrize(
    ("body", "token", "status"),
    [
        ({"word": "hello"}, "", 401),
        ({"word": "hello"}, "bad", 401),
        ("{not json", "good", 400),
        ({"word": "Not A Word"}, "good", 422),
        ([1, 2], "good", 422),
        ("", "good", 422),
    ],
)
def test_a_request_the_handler_declines_gets_the_operations_own_answer(
    client, monkeypatch, body, token, status
):
    lean = send(client, body, token=token)
    monkeypatch.setattr(lean_routes, "ENABLED", False)
    regular = send(client, body, token=token)

    assert lean.status_code == status
    assert answer(lean) == answer(regular)
    assert handler_calls == []


def test_an_error_the_handler_raises_is_rendered_as_the_operation_renders_it(client, monkeypatch):
    lean = send(client, {"word": "taken"})
    monkeypatch.setattr(lean_routes, "ENABLED", False)
    regular = send(client, {"word": "taken"})

    assert (lean.status_code, lean.json()) == (409, {"detail": "That word is taken."})
    assert answer(lean) == answer(regular)
    assert (handler_calls, operation_calls) == (["taken"], ["taken"])  # the handler's raise was the answer


def test_an_exception_without_a_handler_is_raised_as_from_the_operation(client, monkeypatch):
    with pytest.raises(RuntimeError, match="a bug"):
        send(client, {"word": "broken"})
    monkeypatch.setattr(lean_routes, "ENABLED", False)
    with pytest.raises(RuntimeError, match="a bug"):
        send(client, {"word": "broken"})


def test_another_method_goes_to_the_operation(client):
    response = client.get("/api/echo", HTTP_AUTHORIZATION="Bearer good")

    assert (response.status_code, response["Allow"]) == (405, "POST")
    assert handler_calls == []


def test_the_api_around_the_lean_route_is_untouched(client):
    other = send(client, {}, route="/api/other")
    nowhere = send(client, "{not json", route="/api/nowhere")

    assert (other.status_code, other.json()) == (200, {"other": True})
    assert nowhere.status_code == 404  # declined, and the API serves nothing there either


def test_a_declined_request_is_resolved_to_the_operation(client):
    response = send(client, {"word": "Nope"})

    assert response.wsgi_request.resolver_match.view_name == "lean-test:echo"
