"""`GET /v1/search`: hybrid catalog search under hard filters, or a shopper's words understood."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field, StringConstraints, ValidationError

from mcp_servers.catalog.models import FoundProduct, SearchResult, UnderstoodSearch
from orchestrator.api.auth import current
from orchestrator.api.engines import call_tool
from orchestrator.api.errors import ERROR_RESPONSES
from orchestrator.api.exceptions import UnprocessableError
from orchestrator.api.principals import Principal
from orchestrator.api.services import Services, services
from orchestrator.api.showing import shown_to_shopper
from tools.search import SearchFilters
from tools.search.filters import AttributeValue

router = APIRouter(prefix="/v1", tags=["catalog"])
PAIR = r"^[^=]*[^=\s][^=]*=.*\S.*$"


class PolicyNote(BaseModel):
    """What the policy checker decided about showing the list to a shopper."""

    decision_id: str | None
    effect: str
    reasons: list[str] = Field(description="Reason codes, e.g. OUT_OF_STOCK_SUPPRESSED")
    removed: int = Field(description="Items the checker took out of the list")


class SearchResponse(BaseModel):
    """The products found, best first."""

    query: str
    filters: SearchFilters = Field(description="The hard filters applied")
    intent: dict[str, Any] | None = Field(
        default=None, description="The request as understood (understand=true)"
    )
    clarification: str | None = Field(default=None, description="A question, if too vague")
    hits: list[FoundProduct]
    policy: PolicyNote | None = Field(
        default=None, description="For shoppers: the decision on showing these products"
    )


def _value(text: str) -> AttributeValue:
    lowered = text.lower()
    if lowered in {"true", "false"}:
        return lowered == "true"
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        return text


def _conditions(pairs: list[str], field: str) -> dict[str, list[AttributeValue]]:
    found: dict[str, list[AttributeValue]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise UnprocessableError(f"{pair!r} is not name=value", field=f"query.{field}")
        found.setdefault(key.strip(), []).append(_value(value.strip()))
    return found


class SearchQuery(BaseModel):
    """The query string of a search."""

    q: str = Field(default="", max_length=300, description="Words to search for")
    understand: bool = Field(
        default=False, description="Read `q` as a shopper's request (filters from the words)"
    )
    category: str | None = Field(default=None, max_length=200, description="Category prefix")
    min_price_cents: int | None = Field(default=None, ge=0, le=10**9)
    max_price_cents: int | None = Field(default=None, ge=0, le=10**9)
    brand: list[str] = Field(default_factory=list, max_length=50, description="Any of these")
    exclude_brand: list[str] = Field(default_factory=list, max_length=50)
    attribute: list[Annotated[str, StringConstraints(pattern=PAIR, max_length=200)]] = Field(
        default_factory=list, max_length=20, description="name=value, e.g. vegan=true"
    )
    exclude_attribute: list[Annotated[str, StringConstraints(pattern=PAIR, max_length=200)]] = (
        Field(default_factory=list, max_length=20, description="name=value to leave out")
    )
    in_stock_at: str | None = Field(default=None, max_length=64, description="A location id")
    same_day_pickup: bool = False
    k: int = Field(default=10, ge=1, le=50, description="How many products")

    def filters(self) -> SearchFilters:
        """The hard filters the query asks for."""
        try:
            return SearchFilters(
                category=self.category,
                min_price_cents=self.min_price_cents,
                max_price_cents=self.max_price_cents,
                brands=self.brand,
                exclude_brands=self.exclude_brand,
                attributes=dict(_conditions(self.attribute, "attribute")),
                exclude_attributes=dict(_conditions(self.exclude_attribute, "exclude_attribute")),
                in_stock_at=self.in_stock_at,
                same_day_pickup=self.same_day_pickup,
            )
        except ValidationError as exc:
            raise UnprocessableError(
                str(exc.errors()[0]["msg"]), field="query.min_price_cents"
            ) from exc


@router.get("/search", response_model=SearchResponse, responses=ERROR_RESPONSES)
async def search(
    query: Annotated[SearchQuery, Query()],
    principal: Annotated[Principal, Depends(current)],
    svc: Annotated[Services, Depends(services)],
) -> SearchResponse:
    """Hybrid search (BM25 + embeddings) under hard filters.

    With `understand=true`, `q` is read as a shopper's request ("vegan shampoo under $20") and
    its filters come from the words; explicit filters cannot be given as well. A shopper sees
    only what the policy checker lets them see (no out-of-stock or age-restricted items, ...).
    """
    _, concierge, _ = svc.ready()
    filters = query.filters()
    if query.understand:
        if filters != SearchFilters():
            raise UnprocessableError(
                "understand=true takes no explicit filters", field="query.understand"
            )
        args = {"text": query.q or " ", "k": query.k}
        understood = await call_tool(
            concierge, "catalog.understand_and_search", args, UnderstoodSearch
        )
        result, intent = understood.result, understood.intent.model_dump(mode="json")
        clarification = understood.clarification
    else:
        args = {"query": query.q, "filters": filters.model_dump(mode="json"), "k": query.k}
        result = await call_tool(concierge, "catalog.search_products", args, SearchResult)
        intent, clarification = None, None
    response = SearchResponse(
        query=result.query,
        filters=result.filters,
        intent=intent,
        clarification=clarification,
        hits=result.hits,
    )
    if principal.role != "shopper":
        return response
    shown = await shown_to_shopper(
        concierge.deps,
        shopper_id=principal.shopper_id,
        skus=[h.sku for h in result.hits],
        surface="search",
        personalised=False,
        now=svc.clock(),
    )
    if shown.decision_id is not None:
        svc.metrics.decisions.labels(shown.effect, "show_recommendations").inc()
    allowed = set(shown.skus)
    hits = [h for h in result.hits if h.sku in allowed]
    note = PolicyNote(
        decision_id=shown.decision_id,
        effect=shown.effect,
        reasons=list(shown.reasons),
        removed=len(result.hits) - len(hits),
    )
    return response.model_copy(update={"hits": hits, "policy": note})
