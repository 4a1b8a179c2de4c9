"""The pages in Chromium against the real API: a shopper's conversation, a merchandiser's
escalated task approved by another person, the audit log and its chart; at 1280 and 375 px."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, Locator, Page, Request, ViewportSize, expect

from tests.orchestrator.web.conftest import NARROW, SMALLEST, WIDE, LiveApi, Screenshots

ESCALATED = "15% off overstocked jackets for gold members, keep margin above 30%"


@pytest.fixture
def pages(browser: BrowserContext, live_api: LiveApi) -> Iterator[list[Page]]:
    """Pages opened by a test (each with its own sessionStorage), closed after it.

    Every request they make must go to the API that served them.
    """
    opened: list[Page] = []
    elsewhere: list[str] = []

    def watch(request: Request) -> None:
        if not request.url.startswith((live_api.url + "/", "data:")):
            elsewhere.append(request.url)

    browser.on("request", watch)
    yield opened
    browser.remove_listener("request", watch)
    for page in opened:
        page.close()
    assert not elsewhere, f"requests left the origin: {elsewhere}"


def open_page(browser: BrowserContext, pages: list[Page], url: str, size: ViewportSize) -> Page:
    """A new tab at `url`, `size` wide and high."""
    page = browser.new_page()
    pages.append(page)
    page.set_viewport_size(size)
    page.goto(url)
    return page


def sign_in(page: Page, key: str) -> None:
    """Sign in with the keyboard: type the key, press Enter."""
    field = page.get_by_label("API key or token")
    field.focus()
    field.fill(key)
    field.press("Enter")
    page.locator("#who").wait_for(state="visible")


def api_get(live_api: LiveApi, path: str, key: str) -> Any:
    """A JSON answer of the API, asked directly."""
    response = httpx.get(live_api.url + path, headers={"Authorization": f"Bearer {key}"})
    response.raise_for_status()
    return response.json()


def no_sideways_scroll(page: Page) -> None:
    """Nothing sticks out of the viewport's width."""
    width = page.evaluate("document.documentElement.scrollWidth")
    size = page.viewport_size
    assert size is not None and width <= size["width"], f"{width} px wide"


def say(page: Page, text: str) -> Locator:
    """Send a message with Enter; the concierge's answer once it has finished streaming."""
    before = page.locator(".msg-concierge").count()
    field = page.get_by_role("textbox", name="Message", exact=True)
    field.fill(text)
    field.press("Enter")
    answer = page.locator(".msg-concierge").nth(before)
    expect(answer).to_have_attribute("aria-busy", "false")
    return answer


def test_a_shopper_signs_in_and_gets_streamed_answers_in_one_thread(
    browser: BrowserContext, live_api: LiveApi, pages: list[Page], screenshots: Screenshots
) -> None:
    page = open_page(browser, pages, f"{live_api.url}/chat", WIDE)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    sign_in(page, "dev-key-shopper-1")
    expect(page.locator("#who-name")).to_have_text("shopper-000001 (shopper)")
    expect(page.get_by_role("textbox", name="Message", exact=True)).to_be_focused()
    assert page.evaluate("sessionStorage.getItem('concierge.credential')") == "dev-key-shopper-1"
    log = page.get_by_role("log")
    expect(log).to_have_attribute("aria-live", "polite")

    first = say(page, "running shoes")
    thread_id = page.locator("#thread").get_attribute("data-thread-id")
    assert thread_id and thread_id.startswith("th_")
    kept = api_get(live_api, f"/v1/threads/{thread_id}", "dev-key-shopper-1")
    reply = kept["last_turn"]["reply"]
    assert reply["kind"] == "results" and reply["skus"]
    expect(first.locator(".text")).to_have_text(reply["text"])
    assert "$" in reply["text"]
    assert int(first.get_attribute("data-chunks") or 0) >= 2, "the reply arrived in one piece"
    first.locator("summary", has_text="How this answer was made").click()
    expect(first.locator(".trace li").first).to_contain_text("Policy approve for show_reco")

    second = say(page, "any deal on the first one?")
    assert page.locator("#thread").get_attribute("data-thread-id") == thread_id
    kept = api_get(live_api, f"/v1/threads/{thread_id}", "dev-key-shopper-1")
    assert kept["turns"] == 2 and kept["last_turn"]["reply"]["kind"] == "offer"
    expect(second.locator(".text")).to_have_text(kept["last_turn"]["reply"]["text"])
    expect(second.locator(".text")).to_contain_text("until")
    screenshots.take(page, "chat-1280")

    page.set_viewport_size(NARROW)
    no_sideways_scroll(page)
    screenshots.take(page, "chat-375")
    page.set_viewport_size(SMALLEST)
    no_sideways_scroll(page)

    page.get_by_role("textbox", name="Message", exact=True).press("Tab")
    send = page.get_by_role("button", name="Send")
    expect(send).to_be_focused()
    assert send.evaluate("b => getComputedStyle(b).outlineStyle") == "solid"

    page.get_by_role("button", name="New conversation").click()
    expect(page.locator(".msg")).to_have_count(0)
    expect(page.locator("#thread")).to_have_text("New conversation")
    third = say(page, "moisturizer")
    new_thread = page.locator("#thread").get_attribute("data-thread-id")
    assert new_thread and new_thread != thread_id
    expect(third.locator(".text")).not_to_be_empty()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("API key or token")).to_be_focused()
    assert page.evaluate("sessionStorage.getItem('concierge.credential')") is None


def test_the_chat_refuses_a_staff_key_and_a_wrong_one(
    browser: BrowserContext, live_api: LiveApi, pages: list[Page]
) -> None:
    page = open_page(browser, pages, f"{live_api.url}/chat", NARROW)
    field = page.get_by_label("API key or token")
    field.fill("dev-key-merchandiser")
    field.press("Enter")
    expect(page.get_by_role("alert").first).to_contain_text("the chat is for shoppers")
    field.fill("not-a-key")
    field.press("Enter")
    expect(page.get_by_role("alert").first).to_contain_text("unknown or revoked API key")
    expect(page.locator("#chat")).to_be_hidden()


def test_answers_show_product_cards_with_price_availability_and_the_offer_expiry(
    browser: BrowserContext, live_api: LiveApi, pages: list[Page]
) -> None:
    page = open_page(browser, pages, f"{live_api.url}/chat", WIDE)
    sign_in(page, "dev-key-shopper-2")
    first = say(page, "running shoes")
    card = first.locator(".card").first
    expect(card.locator(".price")).to_contain_text("$", timeout=1_000)
    expect(card.locator(".in-stock, .low-stock")).to_be_visible(timeout=1_000)
    second = say(page, "any deal on the first one?")
    expect(second.locator(".offer time")).to_have_attribute(
        "datetime", re.compile(r"^\d{4}-\d\d-\d\dT"), timeout=1_000
    )


def test_a_merchandisers_escalated_task_is_approved_by_someone_else_and_audited(
    browser: BrowserContext, live_api: LiveApi, pages: list[Page], screenshots: Screenshots
) -> None:
    asker = open_page(browser, pages, f"{live_api.url}/console", WIDE)
    sign_in(asker, "dev-key-merchandiser")
    expect(asker.get_by_label("Task or question")).to_be_focused()
    asker.get_by_label("Task or question").fill(ESCALATED)
    asker.get_by_role("button", name="Plan the task").click()
    preview = asker.locator("#preview")
    expect(preview).to_contain_text("Awaiting approval")
    expect(preview.locator("li", has_text="products affected")).to_be_visible()
    expect(preview.locator("[data-kind=create_promotion]")).to_contain_text("Escalate")
    expect(preview).to_contain_text("PROMOTION_MARGIN_IMPACT")
    pending = asker.locator("#approvals article")
    expect(pending).to_have_count(1)
    decision_id = pending.get_attribute("data-decision-id")
    expect(pending.get_by_role("button", name="Approve")).to_be_disabled()
    expect(pending).to_contain_text("another person must decide it")
    screenshots.take(asker, "console-1280-pending")

    approver = open_page(browser, pages, f"{live_api.url}/console", NARROW)
    sign_in(approver, "dev-key-admin")
    mine = approver.locator(f"#approvals article[data-decision-id='{decision_id}']")
    expect(mine).to_contain_text("Asked by dev-merchandiser")
    mine.get_by_label("Note (optional)").fill("fine for a week")
    approve = mine.get_by_role("button", name="Approve")
    approve.focus()
    approve.press("Enter")
    expect(approver.locator("#verdict")).to_contain_text("Approved")
    expect(approver.locator("#verdict")).to_contain_text("Done: 15% off")
    expect(approver.locator("#approvals-note")).to_have_text("Nothing pending.")

    rows = approver.locator("#audit-rows tr")
    expect(rows.filter(has_text="HUMAN_APPROVED")).to_contain_text("dev-admin")
    expect(rows.filter(has_text="PROMOTION_MARGIN_IMPACT")).to_contain_text("dev-merchandiser")
    chart = approver.locator("#chart svg[role=img]")
    expect(chart).to_be_visible()
    legend = approver.locator("#chart-legend li")
    expect(legend.filter(has_text="merch.promotion.margin_impact")).to_have_count(1)
    expect(legend.filter(has_text="human")).to_have_count(1)
    assert chart.locator("rect[data-rule='human']").count() >= 1
    no_sideways_scroll(approver)
    screenshots.take(approver, "console-375-approved")
    approver.set_viewport_size(SMALLEST)
    no_sideways_scroll(approver)
    approver.set_viewport_size(NARROW)

    approver.get_by_label("Effect").select_option("escalate")
    approver.get_by_role("button", name="Apply").click()
    expect(rows.filter(has_text="HUMAN_APPROVED")).to_have_count(0)
    effects = approver.locator("#audit-rows td .status").all_inner_texts()
    assert effects and set(effects) == {"Escalate"}

    asker.get_by_role("button", name="Check again").click()
    expect(preview).to_contain_text("Finished")
    expect(preview.locator("[data-kind=create_promotion]")).to_contain_text("Execution: Applied")
    asker.get_by_label("Show").select_option("approved")
    expect(asker.locator("#approvals article")).to_contain_text("Approved by dev-admin")
    screenshots.take(asker, "console-1280-done")


def run_module(page: Page, module: str, body: str) -> Any:
    """Run `body` (an async function body with the module as `m`) in the page; its result."""
    script = f"async () => {{ const m = await import('/web/js/{module}'); {body} }}"
    return page.evaluate(script)


def test_the_event_stream_reader_joins_events_split_anywhere(
    browser: BrowserContext, live_api: LiveApi, pages: list[Page]
) -> None:
    page = open_page(browser, pages, f"{live_api.url}/chat", WIDE)
    stream = (
        ': keep-alive\r\nevent: reply_chunk\r\nid: 0\r\ndata: {"text": "a"}\r\n\r\n'
        'event: turn_finished\nid: 1\ndata: {"x":\ndata: 1}\n\n'
        "data: plain\r\rid: 7\n\n"
    )
    body = """
        const found = [];
        for (let size = 1; size <= STREAM.length; size += 1) {
          const parser = new m.EventStreamParser();
          const events = [];
          for (let i = 0; i < STREAM.length; i += size) {
            events.push(...parser.push(STREAM.slice(i, i + size)));
          }
          found.push(JSON.stringify(events));
        }
        return [...new Set(found)];
    """.replace("STREAM", json.dumps(stream))
    [events] = run_module(page, "api.js", body)
    assert json.loads(events) == [
        {"type": "reply_chunk", "id": "0", "data": '{"text": "a"}'},
        {"type": "turn_finished", "id": "1", "data": '{"x":\n1}'},
        {"type": "message", "id": "1", "data": "plain"},
    ]


def test_the_chart_counts_decisions_by_rule_in_time_buckets(
    browser: BrowserContext, live_api: LiveApi, pages: list[Page]
) -> None:
    page = open_page(browser, pages, f"{live_api.url}/console", WIDE)
    records = [
        {
            "created_at": f"2026-11-02T{10 + i // 4:02d}:{(i * 7) % 60:02d}:00Z",
            "reasons": [{"rule_id": f"rule.{i % 10}"}, {"rule_id": f"rule.{i % 10}"}],
        }
        for i in range(40)
    ] + [{"created_at": "2026-11-02T12:00:00Z", "reasons": []}]
    body = f"""
        const data = m.decisionsByRule({json.dumps(records)});
        return {{
          step: data.step,
          buckets: data.buckets.map((b) => Object.fromEntries(b.counts)),
          series: data.series.map((s) => [s.rule, s.total]),
        }};
    """
    data = run_module(page, "chart.js", body)
    assert data["step"] == 3_600_000 and len(data["buckets"]) == 10  # 10:00 to 19:53, hourly
    assert [sum(b.values()) for b in data["buckets"]] == [4, 4, 5, 4, 4, 4, 4, 4, 4, 4]
    kept = [[f"rule.{i}", 4] for i in range(8)]
    assert data["series"] == [*kept, ["other rules", 9]]  # rule.8, rule.9 and "(no rule)"
    assert sum(total for _, total in data["series"]) == 41  # a rule counts once per decision


def test_a_reply_with_product_facts_is_shown_as_cards(
    browser: BrowserContext, live_api: LiveApi, pages: list[Page]
) -> None:
    page = open_page(browser, pages, f"{live_api.url}/chat", WIDE)
    reply = {
        "text": "…",
        "kind": "offer",
        "skus": ["SKU-1", "SKU-2"],
        "currency_symbol": "$",
        "products": [
            {
                "sku": "SKU-1",
                "title": "Trail shoe",
                "brand": "Stride",
                "price_cents": 5699,
                "available": 4,
                "low_stock": False,
                "fulfilment": {"detail": "pickup today"},
                "reasons": ["matches your request"],
                "sponsored": False,
            },
            {
                "sku": "SKU-2",
                "title": "Road shoe",
                "brand": "Stride",
                "price_cents": 9599,
                "available": 2,
                "low_stock": True,
                "fulfilment": None,
                "reasons": [],
                "sponsored": True,
            },
        ],
        "offers": [
            {
                "sku": "SKU-1",
                "title": "Trail shoe",
                "offer": "percent_off",
                "price_cents": 5414,
                "list_price_cents": 5699,
                "expires_at": "2026-11-02T15:30:00Z",
                "disclosure": "Personal price.",
            },
        ],
    }
    body = f"""
        const cards = m.replyCards({json.dumps(reply)}, "t1");
        document.querySelector("main").append(cards);
        return [...cards.querySelectorAll("article")].map((a) => ({{
          name: a.getAttribute("aria-labelledby"),
          text: a.innerText.split("\\n").filter(Boolean),
          expiry: a.querySelector("time")?.getAttribute("datetime") || null,
        }}));
    """
    first, second = run_module(page, "cards.js", body)
    assert first["text"][:6] == [
        "Trail shoe",
        "Stride",
        "$56.99",
        "In stock (4 available)",
        "pickup today",
        "matches your request",
    ]
    assert "$54.14 (5% off $56.99)" in first["text"] and "Personal price." in first["text"]
    assert first["expiry"] == "2026-11-02T15:30:00Z"
    assert {"Sponsored", "$95.99", "Only 2 left"} <= set(second["text"])
    assert second["expiry"] is None
