"""The grounding check accepts faithful wording and rejects invented products, prices and offers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agents.candidates import Candidate
from orchestrator.llm import check_grounding, facts_from
from policies.actions import QuoteOffer
from tests.orchestrator.llm.conftest import FACTS


@pytest.mark.parametrize(
    "text",
    [
        "Calm Skin Moisturizer by Dermalux: $24.99, now $21.24 (15% off).",
        "I found 3 picks under $30! The Calm Skin Moisturizer from Dermalux drops from $24.99 "
        "to $21.24, that's 15 percent off and you save $3.75.",
        "The Hydra Serum (SKU-0000003) is 19.99 dollars. Northpeak's Trail Jacket is $1,299.00.",
        "Hydra Serum: $19.99. Pick it up at Downtown on Sunday.",
        "There is no discount on the Hydra Serum, and it isn't on sale.",
        "Nothing matched, sorry. Could you tell me more?",
        "The Travel Mist 1.70 oz is $19.99.",
        "Dermalux\u2019s Hydra Serum is $19.99.",
    ],
)
def test_faithful_replies_are_grounded(text: str) -> None:
    verdict = check_grounding(text, FACTS)
    assert verdict.ok, verdict.problems


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Calm Skin Moisturizer is just $22.99 today.", "unknown_price"),
        ("The Hydra Serum is $24.99.", "unknown_price"),
        ("Everything is twenty dollars.", "unknown_price"),
        ("Take 20% off your order.", "unknown_percent"),
        ("The Hydra Serum is 15% cheaper today.", "unknown_percent"),
        ("Fifty percent of shoppers love it.", "unknown_percent"),
        ("Also try SKU-0009999.", "unknown_sku"),
        ("You might also like the Glow Day Cream.", "unknown_name"),
        ("The Radiance Elixir Pro is a great match.", "unknown_name"),
        ("Aurelle makes a similar one.", "unknown_brand"),
        ("Urbano has jackets too.", "unknown_brand"),
        ("Both come with free shipping.", "unknown_offer"),
        ("The Hydra Serum is on sale.", "unknown_offer"),
    ],
)
def test_invented_statements_are_flagged(text: str, code: str) -> None:
    verdict = check_grounding(text, FACTS)
    assert not verdict.ok
    assert code in {p.code for p in verdict.problems}, verdict.problems


@pytest.mark.parametrize(
    "text",
    [
        "Bundle them and save.",
        "Use a coupon at checkout.",
        "It's on sale this week.",
        "Get 10% off with code SPRING.",
        "Great deals today!",
        "It ships free.",
    ],
)
def test_offers_are_flagged_when_none_was_approved(text: str) -> None:
    no_offers = FACTS.model_copy(update={"offers": ()})
    assert "unknown_offer" in {p.code for p in check_grounding(text, no_offers).problems}


def test_required_texts_must_be_kept_verbatim() -> None:
    facts = FACTS.model_copy(update={"required": ("Offer valid for gold members only.",)})
    assert not check_grounding("The Hydra Serum is $19.99.", facts).ok
    kept = "The Hydra Serum is $19.99. Offer valid for gold members only."
    assert check_grounding(kept, facts).ok


def test_the_reference_draft_may_add_names_but_not_amounts() -> None:
    draft = "Sold out at the Riverside Mall store."
    assert not check_grounding("It is sold out at the Riverside Mall store.", FACTS).ok
    assert check_grounding("It's sold out at the Riverside Mall store.", FACTS, reference=draft).ok
    assert not check_grounding("It was $5.00.", FACTS, reference="It was $5.00.").ok


def test_facts_from_candidates_and_approved_quotes() -> None:
    candidates = [
        Candidate(
            sku="SKU-0000001",
            title="Calm Skin Moisturizer",
            brand="Dermalux",
            category="beauty/skincare/moisturizers",
            list_price_cents=2500,
        ),
        Candidate(
            sku="SKU-0000003",
            title="Hydra Serum",
            brand="Dermalux",
            category="beauty/skincare/serums",
            list_price_cents=2000,
        ),
    ]
    quote = QuoteOffer(
        shopper_id="shopper-1",
        sku="SKU-0000001",
        offer="percent_off",
        price_cents=2000,
        disclosure="Personalised price.",
        expires_at=datetime(2025, 5, 1, 13, tzinfo=UTC),
    )
    facts = facts_from(candidates=candidates, quotes=[quote], known_brands=["Aurelle", "Dermalux"])
    good = "Calm Skin Moisturizer: $20.00 instead of $25.00, 20% off. Personalised price."
    assert check_grounding(good, facts).ok
    assert not check_grounding("Hydra Serum: 20% off. Personalised price.", facts).ok
    assert not check_grounding("Calm Skin Moisturizer: $20.00, 20% off.", facts).ok
