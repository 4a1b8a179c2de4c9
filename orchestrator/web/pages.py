"""Routes that serve the web pages and their files; no credentials are needed to load them.

The pages sign in with an API key or token typed by the user and call `/v1/...` themselves. Every
response forbids loading anything from another origin (Content-Security-Policy), so a page can
reach only the API that served it.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Header, Response
from fastapi import Path as PathParam
from fastapi.responses import RedirectResponse
from starlette.exceptions import HTTPException

STATIC = Path(__file__).resolve().parent / "static"
MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}
PAGES = {"chat": "chat.html", "console": "console.html"}
POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}

router = APIRouter(include_in_schema=False)


@cache
def assets() -> dict[str, Path]:
    """Every file the pages may load, by its path under `/web/` (listed once per process)."""
    return {
        p.relative_to(STATIC).as_posix(): p
        for p in sorted(STATIC.rglob("*"))
        if p.is_file() and p.suffix in MEDIA_TYPES
    }


def _serve(file: Path, if_none_match: str | None) -> Response:
    """The file with its media type and an ETag; 304 when the client's copy is current."""
    content = file.read_bytes()
    etag = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
    headers = {**HEADERS, "ETag": etag}
    if if_none_match is not None and etag in {t.strip() for t in if_none_match.split(",")}:
        return Response(status_code=304, headers=headers)
    return Response(content, media_type=MEDIA_TYPES[file.suffix], headers=headers)


@router.get("/")
def home() -> RedirectResponse:
    """The concierge chat is the home page."""
    return RedirectResponse("/chat", status_code=307)


@router.get("/chat")
def chat_page(if_none_match: Annotated[str | None, Header()] = None) -> Response:
    """The shoppers' concierge chat."""
    return _serve(STATIC / PAGES["chat"], if_none_match)


@router.get("/console")
def console_page(if_none_match: Annotated[str | None, Header()] = None) -> Response:
    """The merchandisers' console: tasks, approvals, the audit log."""
    return _serve(STATIC / PAGES["console"], if_none_match)


@router.get("/web/{name:path}")
def asset(
    name: Annotated[str, PathParam(max_length=200)],
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """A style sheet, script or image of the pages (only those shipped with them)."""
    found = assets().get(name)
    if found is None:
        raise HTTPException(status_code=404, detail=f"no file {name!r}")
    return _serve(found, if_none_match)
