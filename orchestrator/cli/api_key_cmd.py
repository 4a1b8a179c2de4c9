"""`concierge api-key`: create, list and revoke HTTP API keys; sign tokens."""

from __future__ import annotations

from typing import Annotated

import typer

from orchestrator.cli.context import console, handle_errors, state, stdout

api_key_app = typer.Typer(
    help="HTTP API keys (stored hashed) and signed tokens.", no_args_is_help=True
)
ROLES = ("shopper", "merchandiser", "admin")


def register(app: typer.Typer) -> None:
    """Add the api-key command group to the CLI."""
    app.add_typer(api_key_app, name="api-key")


def _role(role: str, shopper: str | None) -> None:
    if role not in ROLES:
        raise typer.BadParameter(f"must be one of {', '.join(ROLES)}", param_hint="--role")
    if shopper is not None and role != "shopper":
        raise typer.BadParameter("only shopper keys name a shopper", param_hint="--shopper")


@api_key_app.command("create")
@handle_errors
def create(
    role: Annotated[str, typer.Option(help="shopper, merchandiser or admin.")],
    shopper: Annotated[str | None, typer.Option(help="The shopper a shopper key is for.")] = None,
    subject: Annotated[
        str | None, typer.Option(help="Who uses it (default: the shopper, or the role).")
    ] = None,
    category: Annotated[
        list[str] | None, typer.Option(help="Category a staff key may change (repeat; default *).")
    ] = None,
    label: Annotated[str, typer.Option(help="A note to recognise the key by.")] = "",
) -> None:
    """Create a key and print it once: only its SHA-256 is stored."""
    from orchestrator.api.keys import create_key
    from tools.store.types import utcnow

    _role(role, shopper)
    engine = state.engine()
    try:
        made = create_key(
            engine,
            role=role,  # type: ignore[arg-type]
            subject=subject or shopper or role,
            shopper_id=shopper,
            category_scopes=[] if role == "shopper" else (category or ["*"]),
            label=label,
            now=utcnow(),
        )
    finally:
        engine.dispose()
    stdout.print(made.key, markup=False, highlight=False)
    console.print(f"key {made.row.id} ({role} {made.row.subject}): shown once, keep it safe")


@api_key_app.command("list")
@handle_errors
def list_keys() -> None:
    """The stored keys (ids and roles; never the keys)."""
    from orchestrator.api.keys import list_keys as stored

    engine = state.engine()
    try:
        rows = stored(engine)
    finally:
        engine.dispose()
    for row in rows:
        revoked = f"revoked {row.revoked_at:%Y-%m-%d %H:%M}" if row.revoked_at else "active"
        stdout.print(
            f"{row.id}  {row.role:<12} {row.subject:<24} {row.shopper_id or '-':<16} "
            f"{row.created_at:%Y-%m-%d %H:%M}  {revoked}  {row.label}",
            markup=False,
            highlight=False,
        )


@api_key_app.command("revoke")
@handle_errors
def revoke(key_id: Annotated[str, typer.Argument(help="The key's id (from list).")]) -> None:
    """Revoke a key at once."""
    from orchestrator.api.keys import revoke_key
    from tools.store.types import utcnow

    engine = state.engine()
    try:
        done = revoke_key(engine, key_id, now=utcnow())
    finally:
        engine.dispose()
    if not done:
        console.print(f"[bold red]error:[/] no active key {key_id!r}", highlight=False)
        raise typer.Exit(code=2)
    console.print(f"key {key_id} revoked")


@api_key_app.command("token")
@handle_errors
def token(
    role: Annotated[str, typer.Option(help="shopper, merchandiser or admin.")],
    subject: Annotated[str, typer.Option(help="Who the token stands for.")],
    shopper: Annotated[str | None, typer.Option(help="The shopper of a shopper token.")] = None,
    ttl: Annotated[int, typer.Option(min=60, help="Seconds until it expires.")] = 3600,
) -> None:
    """Sign a bearer token with the configured secret."""
    from orchestrator.api.principals import Principal
    from orchestrator.api.tokens import TokenError, issue
    from tools.store.types import utcnow

    _role(role, shopper)
    scopes = () if role == "shopper" else ("*",)
    principal = Principal.model_validate(
        {"subject": subject, "role": role, "shopper_id": shopper, "category_scopes": scopes}
    )
    try:
        signed = issue(state.settings, principal, ttl_s=ttl, now=utcnow())
    except TokenError as exc:
        raise typer.BadParameter(str(exc), param_hint="--ttl") from exc
    stdout.print(signed, markup=False, highlight=False, soft_wrap=True)
