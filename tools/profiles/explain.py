"""The explanation of a profile: each conclusion in words, with the evidence it rests on."""

from __future__ import annotations

from collections.abc import Mapping

from tools.profiles.interest import Interest
from tools.profiles.model import Inference, ShopperProfile


def _pct(score: float) -> str:
    return f"{score:.0%}"


def _affinity_lines(profile: ShopperProfile) -> list[Inference]:
    lines: list[Inference] = []
    for about, found in (("departments", profile.departments), ("brands", profile.brands)):
        for a in found[:3]:
            evidence = {
                "stated": "the shopper said so",
                "lookalikes": f"{len(profile.lookalikes)} similar shoppers",
            }.get(a.source, f"{a.items} items, {a.purchases} purchases")
            lines.append(
                Inference(
                    about=about,
                    statement=f"{a.value}: {_pct(a.score)} of their interest",
                    source=a.source,
                    evidence=evidence,
                )
            )
    for attr in profile.attributes[:5]:
        evidence = (
            "the shopper said so"
            if attr.source == "stated"
            else f"{attr.items} items; {attr.lift:.1f}x the catalog's rate"
        )
        lines.append(
            Inference(
                about="attributes",
                statement=f"prefers {attr.key} = {attr.value}",
                source=attr.source,
                evidence=evidence,
            )
        )
    lines.extend(
        Inference(
            about="attributes",
            statement=f"avoids {a.key} = {a.value}",
            source="stated",
            evidence="the shopper said so",
        )
        for a in profile.avoid
    )
    return lines


def _price_line(profile: ShopperProfile) -> Inference:
    price = profile.price
    level = "average"
    if price.estimate >= 0.6:
        level = "high"
    elif price.estimate <= 0.4:
        level = "low"
    evidence = f"{price.observations} priced items"
    if price.typical_price_ratio is not None:
        evidence += f" at a median {price.typical_price_ratio:.2f}x their category's typical price"
    if profile.stated.budget:
        evidence += f"; stated budget {profile.stated.budget!r}"
    return Inference(
        about="price",
        statement=f"price sensitivity {price.estimate:.2f} ({level})",
        source=price.source,
        evidence=evidence,
    )


def _habit_line(profile: ShopperProfile) -> Inference | None:
    habits = profile.habits
    if not habits.active_hours:
        return None
    hours = ", ".join(f"{h:02d}:00" for h in habits.active_hours)
    return Inference(
        about="habits",
        statement=f"shops mostly via {habits.shopping_channel} on {habits.device}, around {hours}",
        source="history",
        evidence=f"{profile.events} events in their local time",
    )


def explain_profile(profile: ShopperProfile, interests: Mapping[str, Interest]) -> list[Inference]:
    """What the profile concludes and from what, most telling first."""
    lines = _affinity_lines(profile)
    lines.append(_price_line(profile))
    habit = _habit_line(profile)
    if habit is not None:
        lines.append(habit)
    if profile.taste is not None:
        lines.append(
            Inference(
                about="taste",
                statement=f"taste vector from {profile.taste.items} items",
                source=profile.taste.source,
                evidence=f"item embeddings weighted by interest, half-life "
                f"{profile.taste.half_life_days:g} days, over {len(interests)} items touched",
            )
        )
    if profile.cold_start:
        lines.append(
            Inference(
                about="cold_start",
                statement="little history: session signals and similar shoppers fill in",
                source="session" if profile.session.skus else "default",
                evidence=f"{profile.events} history events, {len(profile.session.skus)} "
                f"items this session, {len(profile.lookalikes)} lookalikes",
            )
        )
    return lines
