"""`needs_clarification`: one question, asked only when a request is too vague to search."""

from __future__ import annotations

from tools.query.intent import ShopperIntent


def needs_clarification(intent: ShopperIntent) -> str | None:
    """A question for the shopper when nothing in the request says what to look for, else None.

    Words, a category, an attribute, a tag, a brand or a product to find similar items to are
    each enough to search; a budget, a recipient, an occasion or an exclusion alone is not.
    """
    if intent.has_product_signal():
        return None
    if intent.recipient or intent.gift or intent.occasion:
        who = f" for your {intent.recipient}" if intent.recipient else ""
        why = f" for the {intent.occasion}" if intent.occasion and not who else ""
        return (
            f"What kind of gift are you thinking of{who}{why}? "
            "A category, something they enjoy, or a brand helps me search."
        )
    if intent.budget is not None:
        return "What are you looking for within that budget?"
    if intent.excluded_brands or intent.exclusions or intent.excluded_attributes:
        return "Got it, I'll leave those out. What are you looking for?"
    return "What are you looking for? Tell me a product, a brand, or what it's for."
