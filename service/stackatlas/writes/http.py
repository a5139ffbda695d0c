"""What every write route shares: the principal, the required message, ``If-Match``, the answer.

A write answers 200 with JSON saying what was committed (the commit's IRI,
each touched graph's new version, quads added and removed, the warnings of
the local SHACL check), with the graph's version as ``ETag`` when it touched
one graph. Errors are the app's: 401/403 (:mod:`stackatlas.auth.http`), 412
(:class:`~stackatlas.errors.PreconditionFailed`), 422 with the violations
(:class:`~stackatlas.errors.InvalidWrite`).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from ..auth import Principal
from ..auth.http import require
from ..errors import InputError, excerpt
from ..store import Store
from ..validation import Finding, Report
from .transaction import Outcome

MESSAGE_HEADER = "x-stackatlas-message"
MAX_MESSAGE = 2_000


async def writer(request: Request, store: Store, what: str, scope: str = "write") -> Principal:
    return await require(request, store, scope, what)


def message_of(request: Request, form_value: str | None = None) -> str:
    """The writer's reason for the change: required, one line, bounded."""
    text = (form_value or request.headers.get(MESSAGE_HEADER) or "").strip()
    if not text:
        raise InputError(
            "a write needs a message saying why: send the X-Stackatlas-Message header (or a message= field)"
        )
    if len(text) > MAX_MESSAGE or "\n" in text:
        raise InputError(f"the message must be one line of at most {MAX_MESSAGE} characters: {excerpt(text)!r}")
    return text


def if_match(request: Request) -> str | None:
    """The version the client read (``If-Match: "v"``); None when it sent none or ``*``."""
    raw = request.headers.get("if-match")
    if raw is None or raw.strip() == "*":
        return None
    return raw.strip().removeprefix("W/").strip('"')


def etag(version: str) -> str:
    return f'"{version}"'


def finding_json(finding: Finding) -> dict[str, Any]:
    return dataclasses.asdict(finding)


def report_json(report: Report) -> dict[str, Any]:
    return {**report.summary(), "findings": [finding_json(f) for f in report.findings]}


def outcome_json(outcome: Outcome, dry_run: bool = False) -> dict[str, Any]:
    committed = outcome.committed
    return {
        "status": "dry run" if dry_run else ("committed" if committed else "unchanged"),
        "commit": committed.commit if committed else None,
        "graphs": [{"graph": g, "version": v} for g, v in sorted(outcome.versions.items())],
        "added": len(outcome.changes.added),
        "removed": len(outcome.changes.removed),
        "report": report_json(outcome.report),
    }


def outcome_response(
    outcome: Outcome, dry_run: bool = False, extra: dict[str, Any] | None = None
) -> JSONResponse:
    headers = {}
    if len(outcome.versions) == 1:
        headers["ETag"] = etag(next(iter(outcome.versions.values())))
    return JSONResponse({**outcome_json(outcome, dry_run), **(extra or {})}, headers=headers)
