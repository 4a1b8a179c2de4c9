"""The fixed language of shopping requests: function words, number words, units, people, occasions.

Nothing here names a product, a category or a brand: those come from the catalog's vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def words(text: str) -> list[str]:
    """The whitespace-separated words of a text block."""
    return text.split()


STOPWORDS = frozenset(
    words(
        """
    a an the and or nor but if of to in on at by for from with within into onto about as than then
    so too very just also only even both either neither any some all each every other another such
    this that these those it its they them their theirs there here i im id ive ill me my mine myself
    we our ours us you your yours he him his she her hers is are was were be been being am do does
    did doing have has had having can could would should will shall may might must which what who
    whom whose where when why how not no yes please ok okay well that s t ll re ve d m
        """
    )
)

FILLER = frozenset(
    words(
        """
    looking look looks searching search find finding need needs needed want wants wanted wanting
    like likes liked love get getting got buy buying purchase purchasing order ordering shop
    shopping show showing see give bring choose pick select recommend suggest something anything
    thing things stuff item items product products option options one ones kind type sort piece
    ideally preferably prefer preference preferred make sure really maybe perhaps possibly
    interested hoping hope trying try help let lets thanks thank hi hello hey dont doesnt isnt
    color colour colored coloured size sized style version model brand brands rather instead
    else nevermind never mind actually
        """
    )
)

NEGATION_CUES: tuple[tuple[str, ...], ...] = (
    ("does", "not", "contain"),
    ("do", "not", "want"),
    ("doesnt", "contain"),
    ("dont", "contain"),
    ("dont", "want"),
    ("dont", "like"),
    ("not", "containing"),
    ("not", "contain"),
    ("no", "added"),
    ("nothing", "with"),
    ("nothing", "containing"),
    ("free", "of"),
    ("free", "from"),
    ("allergic", "to"),
    ("other", "than"),
    ("anything", "but"),
    ("stay", "away", "from"),
    ("without",),
    ("no",),
    ("not",),
    ("non",),
    ("never",),
    ("avoid",),
    ("avoiding",),
    ("excluding",),
    ("except",),
    ("minus",),
    ("hate",),
)

# "not only X but also Y", "not too sweet": these words right after a cue cancel the negation.
NEGATION_BREAKERS = frozenset(
    {"only", "just", "too", "so", "very", "sure", "longer", "necessarily", "mind", "problem"}
)

# "non-slip", "non-stick": the phrase names a feature to look for, not something to avoid.
NON_FEATURES = frozenset(
    {"slip", "stick", "skid", "woven", "marking", "iron", "scratch", "comedogenic", "drip", "fog"}
)

# "hands-free", "worry-free": a feature, not an ingredient or material to avoid.
FREE_FEATURES = frozenset(
    {"hand", "worry", "hassle", "care", "maintenance", "tax", "duty", "toll", "feel", "stress"}
)

COORDINATORS = frozenset({"or", "nor"})

UNITS = frozenset(
    words(
        """
    oz ounce ounces fl floz lb lbs pound pounds g gr gram grams kg kilo kilos mg ml l liter liters
    litre litres gal gallon gallons qt quart quarts pt pint pints in inch inches ft foot feet
    mm cm m meter meters metre metres yd yard yards x by gb tb mb mah w watt watts v volt volts
    hz khz mhz ghz k p mp mpx hour hours hr hrs h minute minutes min mins second seconds sec
    day days week weeks month months year years yr yrs capsule capsules tablet tablets softgel
    softgels count ct pcs pc pieces piece sheet sheets serving servings percent degree degrees
        """
    )
)

NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}

# Relations a request can be for, with the canonical name recorded in the intent.
RELATIONS = {
    "mom": "mother",
    "mum": "mother",
    "mommy": "mother",
    "mother": "mother",
    "dad": "father",
    "daddy": "father",
    "father": "father",
    "papa": "father",
    "parents": "parents",
    "sister": "sister",
    "sis": "sister",
    "brother": "brother",
    "bro": "brother",
    "wife": "wife",
    "husband": "husband",
    "hubby": "husband",
    "partner": "partner",
    "spouse": "partner",
    "boyfriend": "boyfriend",
    "girlfriend": "girlfriend",
    "fiance": "fiance",
    "fiancee": "fiancee",
    "son": "son",
    "daughter": "daughter",
    "kid": "child",
    "kids": "children",
    "child": "child",
    "children": "children",
    "baby": "baby",
    "toddler": "toddler",
    "grandson": "grandson",
    "granddaughter": "granddaughter",
    "grandkids": "grandchildren",
    "grandchildren": "grandchildren",
    "grandma": "grandmother",
    "granny": "grandmother",
    "nana": "grandmother",
    "grandmother": "grandmother",
    "grandpa": "grandfather",
    "grandad": "grandfather",
    "granddad": "grandfather",
    "grandfather": "grandfather",
    "aunt": "aunt",
    "auntie": "aunt",
    "uncle": "uncle",
    "niece": "niece",
    "nephew": "nephew",
    "cousin": "cousin",
    "friend": "friend",
    "bestie": "friend",
    "boss": "boss",
    "coworker": "coworker",
    "colleague": "coworker",
    "teacher": "teacher",
    "neighbor": "neighbour",
    "neighbour": "neighbour",
    "roommate": "roommate",
    "stepmom": "stepmother",
    "stepdad": "stepfather",
}

# Relations clear enough to name a recipient without "my": "a gift for mom", "for a coworker".
UNAMBIGUOUS_RELATIONS = frozenset(
    {
        "mom",
        "mum",
        "dad",
        "grandma",
        "grandpa",
        "granny",
        "nana",
        "friend",
        "coworker",
        "colleague",
        "teacher",
        "boss",
        "neighbor",
        "neighbour",
        "roommate",
    }
)

OCCASIONS = {
    "birthday": "birthday",
    "bday": "birthday",
    "anniversary": "anniversary",
    "christmas": "christmas",
    "xmas": "christmas",
    "wedding": "wedding",
    "valentine": "valentines day",
    "valentines": "valentines day",
    "mothers day": "mothers day",
    "fathers day": "fathers day",
    "graduation": "graduation",
    "baby shower": "baby shower",
    "bridal shower": "bridal shower",
    "housewarming": "housewarming",
    "retirement": "retirement",
    "halloween": "halloween",
    "easter": "easter",
    "thanksgiving": "thanksgiving",
    "hanukkah": "hanukkah",
    "new year": "new year",
    "diwali": "diwali",
    "eid": "eid",
    "secret santa": "christmas",
    "stocking stuffer": "christmas",
    "stocking stuffers": "christmas",
}

WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "tues": 1,
    "wednesday": 2,
    "thursday": 3,
    "thurs": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}


def alternation(phrases: Iterable[str]) -> str:
    """A regex alternation of phrases, longest first (spaces match a space or a hyphen)."""
    items = sorted(set(phrases), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"[\s-]?") for w in items)
