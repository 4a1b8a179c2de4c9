"""Fixtures for the LLM client: a real fake endpoint on 127.0.0.1, a small catalog, clients."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import SecretStr

from config.settings import LLMSettings
from orchestrator.llm import CircuitBreaker, FactOffer, FactProduct, GroundingFacts, LLMClient
from tests.fakes.openai_server import FakeOpenAIServer
from tools.query import CatalogVocabulary

API_KEY = "sk-test-secret-0123456789"
NOW = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)
MakeClient = Callable[..., LLMClient]

FACTS = GroundingFacts(
    products=(
        FactProduct(
            sku="SKU-0000001", name="Calm Skin Moisturizer", brand="Dermalux", price_cents=2499
        ),
        FactProduct(sku="SKU-0000003", name="Hydra Serum", brand="Dermalux", price_cents=1999),
        FactProduct(sku="SKU-0000004", name="Trail Jacket", brand="Northpeak", price_cents=129900),
    ),
    offers=(
        FactOffer(
            sku="SKU-0000001",
            kind="percent_off",
            price_cents=2124,
            was_price_cents=2499,
            percent_off=15.0,
        ),
    ),
    amounts_cents=(3000,),
    phrases=("Downtown", "Travel Mist 1.70 oz"),
    known_brands=("Dermalux", "Aurelle", "Northpeak", "Urbano"),
)

DRAFT = (
    "Here are 2 picks: Calm Skin Moisturizer by Dermalux at $24.99 (now $21.24, 15% off) "
    "and Hydra Serum at $19.99."
)
FAITHFUL = (
    "I found 2 lovely options for you! The Calm Skin Moisturizer from Dermalux is $24.99, "
    "now just $21.24 with 15% off, and the Hydra Serum is $19.99."
)


@dataclass
class _Product:
    title: str
    category: str
    brand: str
    attributes: dict[str, Any]
    tags: list[str]
    list_price_cents: int


PRODUCTS = [
    _Product(
        "Calm Skin Moisturizer",
        "beauty/skincare/moisturizers",
        "Dermalux",
        {"skin_type": "sensitive", "fragrance_free": True},
        ["vegan"],
        2499,
    ),
    _Product(
        "Glow Day Cream",
        "beauty/skincare/moisturizers",
        "Aurelle",
        {"skin_type": "dry", "fragrance_free": False},
        [],
        3499,
    ),
    _Product(
        "Hydra Serum",
        "beauty/skincare/serums",
        "Dermalux",
        {"skin_type": "oily", "fragrance_free": True},
        ["vegan"],
        1999,
    ),
    _Product(
        "Trail Jacket",
        "apparel/outerwear/jackets",
        "Northpeak",
        {"color": "blue", "size": "m"},
        ["waterproof"],
        12900,
    ),
    _Product(
        "City Jacket",
        "apparel/outerwear/jackets",
        "Urbano",
        {"color": "black", "size": "l"},
        [],
        8900,
    ),
]


@pytest.fixture(autouse=True)
def refused_sockets_are_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The project-wide guard refuses any connect beyond loopback; close what it refuses, so a
    test that tries one fails on the refusal alone, never on a leaked socket."""
    guarded = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        try:
            return guarded(self, address)
        except RuntimeError:
            self.close()
            raise

    monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.fixture(scope="session")
def vocabulary() -> CatalogVocabulary:
    """The words of a five-product catalog with one pickup location."""
    return CatalogVocabulary.from_products(PRODUCTS, locations={"loc-1": "Downtown"})


@pytest.fixture
def fake() -> Iterator[FakeOpenAIServer]:
    """A running fake OpenAI-compatible server (answers "ok" until scripted otherwise)."""
    with FakeOpenAIServer() as server:
        yield server


def llm_settings(base_url: str | None, **overrides: Any) -> LLMSettings:
    """Settings for a client of `base_url` with short, test-sized limits."""
    values: dict[str, Any] = {
        "enabled": True,
        "base_url": base_url,
        "model": "fake-model",
        "api_key": SecretStr(API_KEY),
        "timeout_s": 2.0,
        "max_retries": 2,
        "breaker_failures": 50,
        "breaker_cooldown_s": 30.0,
    }
    values.update(overrides)
    return LLMSettings(**values)


@pytest.fixture
def make_client(fake: FakeOpenAIServer) -> Iterator[MakeClient]:
    """Builds clients of the fake server (closed after the test); settings as keyword overrides."""
    made: list[LLMClient] = []

    def make(*, breaker: CircuitBreaker | None = None, **overrides: Any) -> LLMClient:
        client = LLMClient(llm_settings(fake.base_url, **overrides), breaker=breaker)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


class FakeClock:
    """A monotonic clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
