"""Search and recommendations: filters, the shopper's own picks, and the policy check on showing."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.orchestrator.api.conftest import ADMIN, MERCHANDISER, SHOPPER_1


def test_search_applies_hard_filters(client: TestClient) -> None:
    params: dict[str, str | int] = {
        "q": "toner",
        "max_price_cents": 2500,
        "attribute": "vegan=true",
        "k": 5,
    }
    found = client.get("/v1/search", params=params, headers=MERCHANDISER).json()
    assert found["hits"] and found["policy"] is None
    assert found["filters"]["attributes"] == {"vegan": [True]}
    for hit in found["hits"]:
        assert hit["list_price_cents"] <= 2500 and hit["attributes"]["vegan"] is True
    brand = found["hits"][0]["brand"]
    others = client.get(
        "/v1/search", params={"q": "toner", "exclude_brand": brand}, headers=MERCHANDISER
    ).json()
    assert all(hit["brand"] != brand for hit in others["hits"])


def test_a_shopper_sees_what_the_policy_checker_let_through(client: TestClient) -> None:
    found = client.get("/v1/search", params={"q": "toner", "k": 5}, headers=SHOPPER_1).json()
    policy = found["policy"]
    assert policy["decision_id"] and policy["effect"] in {"approve", "modify"}
    assert len(found["hits"]) + policy["removed"] <= 5
    record = client.get(
        "/v1/audit", params={"kind": "show_recommendations", "limit": 500}, headers=ADMIN
    ).json()["records"]
    logged = next(r for r in record if r["decision_id"] == policy["decision_id"])
    assert logged["final_action"]["surface"] == "search"
    assert [i["sku"] for i in logged["final_action"]["items"]] == [h["sku"] for h in found["hits"]]


def test_search_understands_a_shoppers_words(client: TestClient) -> None:
    params = {"q": "vegan toner under $25", "understand": "true"}
    found = client.get("/v1/search", params=params, headers=MERCHANDISER).json()
    assert found["intent"] is not None
    assert found["filters"]["max_price_cents"] == 2500
    both = client.get("/v1/search", params={**params, "brand": "x"}, headers=MERCHANDISER)
    assert both.status_code == 422 and both.json()["error"]["field"] == "query.understand"


def test_search_names_the_field_at_fault(client: TestClient) -> None:
    too_many = client.get("/v1/search", params={"q": "x", "k": 0}, headers=SHOPPER_1)
    assert too_many.status_code == 422 and too_many.json()["error"]["field"] == "query.k"
    pair = client.get("/v1/search", params={"attribute": "vegan"}, headers=SHOPPER_1)
    assert pair.json()["error"]["field"] == "query.attribute.0"
    prices = {"min_price_cents": 900, "max_price_cents": 100}
    assert client.get("/v1/search", params=prices, headers=SHOPPER_1).status_code == 422


def test_recommendations_are_the_shoppers_own(client: TestClient) -> None:
    mine = client.get("/v1/recommendations", params={"k": 4}, headers=SHOPPER_1)
    assert mine.status_code == 200
    picks = mine.json()
    assert picks["shopper_id"] == "shopper-000001" and picks["policy"]["decision_id"]
    assert 0 < len(picks["items"]) <= 4 and all(item["reasons"] for item in picks["items"])
    named = client.get(
        "/v1/recommendations", params={"shopper_id": "shopper-000001"}, headers=SHOPPER_1
    )
    assert named.status_code == 200
    other = client.get(
        "/v1/recommendations", params={"shopper_id": "shopper-000002"}, headers=SHOPPER_1
    )
    assert other.status_code == 404 and other.json()["error"]["field"] == "shopper_id"


def test_staff_see_any_shoppers_picks_unfiltered(client: TestClient) -> None:
    params: dict[str, str | int] = {"shopper_id": "shopper-000002", "k": 3}
    picks = client.get("/v1/recommendations", params=params, headers=MERCHANDISER).json()
    assert picks["shopper_id"] == "shopper-000002" and picks["policy"] is None
    anonymous = client.get("/v1/recommendations", headers=ADMIN).json()
    assert anonymous["shopper_id"] is None and anonymous["strategy"] != "personal"
    missing = client.get(
        "/v1/recommendations", params={"shopper_id": "shopper-999999"}, headers=ADMIN
    )
    assert missing.status_code == 404
