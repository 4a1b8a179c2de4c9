"""Pricing engine: offer decisions by expected contribution margin, and quote locks."""

from tools.pricing.bench import bench_pricing
from tools.pricing.choice import (
    CHOICE_CATEGORIES,
    ChoiceResponse,
    choice_response,
    load_choice_responses,
    save_choice_response,
)
from tools.pricing.context import (
    CartItem,
    PricingContext,
    load_pricing_context,
    load_sku_facts,
    open_pricing_context,
    pricing_input_for,
    sku_facts,
)
from tools.pricing.decide import (
    DISCOUNT_LADDER,
    MODEL_VERSION,
    OfferDecision,
    OfferKind,
    OfferOption,
    SkippedOption,
    best_option,
    decide_offer,
)
from tools.pricing.demand import DEFAULT_FAMILY_ELASTICITY, DemandModel, ElasticityEstimate
from tools.pricing.exceptions import (
    QuoteExpiredError,
    QuoteMismatchError,
    UnknownShopperError,
    UnknownSkuError,
)
from tools.pricing.explain import Explanation, OptionVerdict, explain_decision
from tools.pricing.fitting import fit_elasticities
from tools.pricing.inputs import (
    BasketLine,
    Fulfilment,
    IntentStage,
    LoyaltyTier,
    PricingInput,
    ShippingTerms,
    SkuFacts,
)
from tools.pricing.intent import intent_stage, session_propensity
from tools.pricing.quotes import (
    QUOTE_TTL,
    Quote,
    honour_quote,
    make_quote,
    quote_decision,
    quote_of_offer,
    record_quote,
)
from tools.pricing.sensitivity import (
    CategoryPrices,
    all_sensitivities,
    estimate_sensitivity,
    load_category_prices,
    shopper_sensitivity,
)

__all__ = [
    "CHOICE_CATEGORIES",
    "DEFAULT_FAMILY_ELASTICITY",
    "DISCOUNT_LADDER",
    "MODEL_VERSION",
    "QUOTE_TTL",
    "BasketLine",
    "CartItem",
    "CategoryPrices",
    "ChoiceResponse",
    "DemandModel",
    "ElasticityEstimate",
    "Explanation",
    "Fulfilment",
    "IntentStage",
    "LoyaltyTier",
    "OfferDecision",
    "OfferKind",
    "OfferOption",
    "OptionVerdict",
    "PricingContext",
    "PricingInput",
    "Quote",
    "QuoteExpiredError",
    "QuoteMismatchError",
    "ShippingTerms",
    "SkippedOption",
    "SkuFacts",
    "UnknownShopperError",
    "UnknownSkuError",
    "all_sensitivities",
    "bench_pricing",
    "best_option",
    "choice_response",
    "decide_offer",
    "estimate_sensitivity",
    "explain_decision",
    "fit_elasticities",
    "honour_quote",
    "intent_stage",
    "load_category_prices",
    "load_choice_responses",
    "load_pricing_context",
    "load_sku_facts",
    "make_quote",
    "open_pricing_context",
    "pricing_input_for",
    "quote_decision",
    "quote_of_offer",
    "record_quote",
    "save_choice_response",
    "session_propensity",
    "shopper_sensitivity",
    "sku_facts",
]
