"""Brand choice: a multinomial logit of price and promotion response, fitted on purchase panels."""

from tools.choice.data import ChoiceData, household_split, load_choice_data
from tools.choice.loyalty import brand_loyalty, history_loyalty
from tools.choice.mnl import fit_mnl, fit_mnl_loyalty
from tools.choice.model import ChoiceModel
from tools.choice.response import choice_probabilities, occasion_probabilities, price_elasticities

__all__ = [
    "ChoiceData",
    "ChoiceModel",
    "brand_loyalty",
    "choice_probabilities",
    "fit_mnl",
    "fit_mnl_loyalty",
    "history_loyalty",
    "household_split",
    "load_choice_data",
    "occasion_probabilities",
    "price_elasticities",
]
