"""``/webhooks``: register, list, remove webhooks and read their delivery log, with an admin token.

Every route needs a token of scope ``admin`` (the operator's): a webhook makes
the service call out, and its secret is shown once, on registration.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from ..auth.http import require
from ..dependencies import SettingsDep, StoreDep
from ..errors import InputError
from ..history.log import last_sequence
from . import registry

router = APIRouter(tags=["webhooks"])

_WHAT = "managing webhooks"
_FILTERS = ("vendors", "certifications", "kinds")


def _strings(body: dict[str, Any], key: str) -> list[str]:
    value = body.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{key!r} must be a list of strings")
    return value


@router.post("/webhooks", status_code=201)
async def register(request: Request, store: StoreDep, settings: SettingsDep) -> JSONResponse:
    """Register a webhook: ``{"url": …, "vendors": [...], "certifications": [...], "kinds": [...]}``.

    The answer holds the signing secret, the only time it is shown. The
    webhook receives the commits made after this moment.
    """
    await require(request, store, "admin", _WHAT)
    try:
        body = json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"the body must be a JSON object ({exc})") from None
    if not isinstance(body, dict) or not isinstance(body.get("url"), str):
        raise InputError('the body must be a JSON object with a "url" string')
    unknown = sorted(set(body) - {"url", *_FILTERS})
    if unknown:
        raise InputError(f"unknown field(s) {', '.join(unknown)}; a webhook has url, {', '.join(_FILTERS)}")
    vendors, certifications, kinds = (_strings(body, k) for k in _FILTERS)
    _check_kinds(kinds)

    def run() -> registry.Webhook:
        return registry.register(
            store,
            body["url"],
            settings.webhook_hosts,
            vendors=vendors,
            certifications=certifications,
            kinds=kinds,
            after=last_sequence(store),
        )

    hook = await store.run(run)
    return JSONResponse(hook.as_json(secret=True), status_code=201)


def _check_kinds(kinds: list[str]) -> None:
    from ..history.describe import KINDS

    for kind in kinds:
        if kind not in KINDS:
            raise InputError(f"unknown change kind {kind!r}; kinds are {', '.join(KINDS)}")


@router.get("/webhooks")
async def listing(request: Request, store: StoreDep) -> JSONResponse:
    """Every webhook: id, URL, filter, cursor (never the secret)."""
    await require(request, store, "admin", _WHAT)
    hooks = await store.run(registry.webhooks, store)
    return JSONResponse({"webhooks": [h.as_json() for h in hooks]})


@router.get("/webhooks/{ident}")
async def one(ident: str, request: Request, store: StoreDep) -> JSONResponse:
    await require(request, store, "admin", _WHAT)
    hook = await store.run(registry.webhook, store, ident)
    return JSONResponse(hook.as_json())


@router.delete("/webhooks/{ident}", status_code=204)
async def remove(ident: str, request: Request, store: StoreDep) -> Response:
    """Remove a webhook with its cursor and delivery log: nothing more is sent to it."""
    await require(request, store, "admin", _WHAT)
    await store.run(registry.remove, store, ident)
    return Response(status_code=204)


@router.get("/webhooks/{ident}/deliveries")
async def deliveries(ident: str, request: Request, store: StoreDep, limit: int = 100) -> JSONResponse:
    """The webhook's delivery log, newest first: one entry per attempt."""
    await require(request, store, "admin", _WHAT)
    if not 1 <= limit <= 1000:
        raise InputError(f"limit must be between 1 and 1000; got {limit}")
    found = await store.run(registry.deliveries, store, ident, limit)
    return JSONResponse({"webhook": ident, "deliveries": [d.as_json() for d in found]})
