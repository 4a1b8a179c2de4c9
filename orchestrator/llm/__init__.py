"""The optional OpenAI-compatible LLM: parses requests and rewords replies, never decides.

`build_llm(settings.llm)` gives a `LanguageModel` (`NoLLM` when off). Each of its methods returns
None on any failure or invalid output, and the deterministic path answers. `check_grounding`
holds any reply to the approved `GroundingFacts`.
"""

from orchestrator.llm.breaker import CircuitBreaker
from orchestrator.llm.client import LLMClient
from orchestrator.llm.facts import FactOffer, FactProduct, GroundingFacts, facts_from
from orchestrator.llm.grounding import GroundingProblem, GroundingVerdict, check_grounding
from orchestrator.llm.protocol import LanguageModel, NoLLM, build_llm

__all__ = [
    "CircuitBreaker",
    "FactOffer",
    "FactProduct",
    "GroundingFacts",
    "GroundingProblem",
    "GroundingVerdict",
    "LLMClient",
    "LanguageModel",
    "NoLLM",
    "build_llm",
    "check_grounding",
    "facts_from",
]
