"""Reading a job posting: the company, the role, what the job does and what it asks for.

No network and no language model: heuristics over the posting's own layout. Headings
("What you'll do", "Requirements:", "## Responsibilities") open sections; bullets and
numbered lines under them are the items (a line that carries on a bullet is joined to
it). The company and the role come from labelled lines ("Company: ...", "Job title:
..."), a title line ("Role — Company", "Role at Company"), "Company is hiring a Role",
or an "About Company" heading.

Two lists feed the drafted questions (:mod:`loopready.packs.draft`):

* **product areas**: the products the posting names: capitalised names ("PlayStation
  Network", "Northwind Scribe") with a product noun that follows them ("recommendations",
  "camera effects"), and quoted names ("Picked for you");
* **model and data terms**: what the posting says the models run on ("vision model",
  "speech recognition model", "catalog data", "on-device inference").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from loopready.language.sentences import split_sentences

Section = str  # "responsibilities", "requirements", "about", "other"

#: Heading words, by the section they open (matched on the heading in lower case).
HEADINGS: Final[dict[str, tuple[str, ...]]] = {
    "responsibilities": (
        "what you'll do",
        "what you will do",
        "what you’ll do",
        "responsibilities",
        "in this role",
        "the role",
        "your role",
        "your impact",
        "what you'll own",
        "day to day",
        "you will",
    ),
    "requirements": (
        "what you bring",
        "requirements",
        "qualifications",
        "you have",
        "who you are",
        "what we're looking for",
        "what we are looking for",
        "skills",
        "nice to have",
        "preferred",
        "bonus points",
        "about you",
    ),
    "about": ("about", "who we are", "the team", "our team", "our company"),
}

_BULLET = re.compile(r"^\s*(?:[-*•·–—]|\d{1,2}[.)])\s+(?P<text>.+)$")
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s*(?P<text>.+?)\s*#*\s*$")
_LABELLED = re.compile(
    r"^\s*(?P<label>company|employer|organi[sz]ation|job title|title|role|position)\s*:\s*"
    r"(?P<value>.+?)\s*$",
    re.IGNORECASE,
)
_HIRING = re.compile(
    r"^(?P<company>[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,4})\s+is\s+(?:hiring|looking for)\s+"
    r"(?:an?\s+)?(?P<role>.+?)[.!]?$"
)
_FIELD = re.compile(r"^[A-Z][\w ]{0,20}:\s+\S")
_ROLE_WORDS = re.compile(r"\b(?:product|manager|pm|lead|director|owner)\b", re.IGNORECASE)
_TITLE_SPLIT = re.compile(r"\s+(?:—|–|-|\||@|at)\s+")
_ABOUT = re.compile(r"^about\s+(?!the\b|us\b|you\b|this\b|our\b)(?P<name>.+)$", re.IGNORECASE)

#: Words a capitalised phrase may carry on with: the product it names.
PRODUCT_NOUNS: Final = frozenset(
    """recommendations recommendation camera effects effect assistant feed search ranking
    app apps notes note beta network store platform catalog catalogue feature features
    home checkout player players studio editor inbox marketplace console""".split()  # noqa: SIM905
)
#: Capitalised words that are not product names: sentence openers, job words, acronyms.
NOT_PRODUCTS: Final = frozenset(
    """a an the this that these our we you your they it in on for with at by of to and or as
    own lead work define plan bring set design improve translate steer negotiate partner
    drive build ship run help make take use write manage support grow launch create deliver
    establish develop collaborate shape understand identify prioritize prioritise decide
    experience familiarity comfort strong clear fluency record proven excellent
    ai ml llm llms api apis sql hipaa gdpr us uk eu kpi kpis okr okrs nlp cv pm pms
    product products manager machine learning team teams job title company location
    full time remote hybrid senior staff principal responsibilities requirements
    qualifications compensation benefits about who what why where when how nice preferred
    engineering design marketing legal research science data research-to-product""".split()  # noqa: SIM905
)
#: What a model or data term ends with, and the words that may come before it.
_TERM = re.compile(
    r"(?<![\w-])(?P<term>(?:[a-z][\w-]*\s+){0,3}"
    r"(?:reinforcement learning|computer vision|large language models?|recognition|inference|"
    r"embeddings?|classifiers?|pipelines?|models?|llms?|data)"
    r"(?:\s+(?:models?|llms?|data|pipelines?))?)(?![\w-])",
    re.IGNORECASE,
)
#: Words that end the lead-in of a term: the term is what comes after the last of them.
_TERM_LEAD = frozenset(
    """the a an on for with and or of to in from our your their its new behind into about
    by that which this these those both each every between build builds built feeds feed
    use uses using used is are be was tests test read ready when how engineers team teams
    monitoring drift improve""".split()  # noqa: SIM905
)
_TERM_GENERIC = frozenset({"data", "model", "models", "pipeline", "pipelines", "inference"})


@dataclass
class Posting:
    """What a job posting says, as loopready reads it."""

    company: str = ""
    role: str = ""
    responsibilities: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    about: list[str] = field(default_factory=list)
    product_areas: list[str] = field(default_factory=list)
    model_terms: list[str] = field(default_factory=list)
    #: What could not be found, in words, for the page and the CLI to show.
    missing: list[str] = field(default_factory=list)

    @property
    def is_ml(self) -> bool:
        """Whether the posting is for an AI or ML role (so the loop has a technical round)."""
        text = " ".join([self.role, *self.responsibilities, *self.requirements]).lower()
        return bool(self.model_terms) or bool(
            re.search(r"\b(?:ai|ml|machine learning|model|models|llm)\b", text)
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "company": self.company,
            "role": self.role,
            "responsibilities": self.responsibilities,
            "requirements": self.requirements,
            "about": self.about,
            "product_areas": self.product_areas,
            "model_terms": self.model_terms,
            "missing": self.missing,
        }


def read_posting(text: str) -> Posting:
    """Pull the company, role, responsibilities, requirements and named products out of *text*."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    posting = Posting()
    sections: dict[Section, list[str]] = {"responsibilities": [], "requirements": [], "about": []}
    # Text before the first heading is usually about the company (the title line aside).
    current: Section = "about"
    first_line = ""
    last_was_item = False
    # The section and lines of the paragraph being read (wrapped lines join up).
    para_kind: list[Section] = []
    para_lines: list[str] = []

    def flush() -> None:
        if para_kind and para_lines:
            sections[para_kind[0]] += _sentences(" ".join(para_lines))
        para_kind.clear()
        para_lines.clear()

    for raw in lines:
        line = raw.strip()
        if not line:
            flush()
            last_was_item = False
            continue
        if not first_line:
            first_line = line
            if not _LABELLED.match(line):
                continue
        labelled = _LABELLED.match(line)
        if labelled or _BULLET.match(raw) or _heading(line) is not None:
            flush()
        if not labelled and _FIELD.match(line):  # "Location: Tokyo", "Salary: ...": not prose
            last_was_item = False
            continue
        if labelled and len(labelled.group("value").split()) <= 12:
            label = labelled.group("label").lower()
            if label in ("company", "employer", "organisation", "organization"):
                posting.company = posting.company or _clean_name(labelled.group("value"))
            else:
                posting.role = posting.role or _clean_role(labelled.group("value"))
            last_was_item = False
            continue
        heading = _heading(line)
        if heading is not None:
            kind = _section_of(heading)
            if kind is not None:
                current = kind
                about = _ABOUT.match(heading)
                if about and not posting.company:
                    posting.company = _clean_name(about.group("name"))
                last_was_item = False
                continue
        bullet = _BULLET.match(raw)
        if bullet:
            if current in sections:
                sections[current].append(_sentence(bullet.group("text")))
            last_was_item = current in sections
            continue
        if last_was_item and raw[:1].isspace() and current in sections:
            sections[current][-1] = _sentence(sections[current][-1].rstrip(".") + " " + line)
            continue
        if current in sections:
            if para_kind != [current]:
                flush()
                para_kind.append(current)
            para_lines.append(line)
        last_was_item = False
        continue

    flush()
    posting.responsibilities = _unique(sections["responsibilities"])
    posting.requirements = _unique(sections["requirements"])
    posting.about = _unique(sections["about"])
    _company_and_role(posting, lines, first_line)
    scanned = [*posting.responsibilities, *posting.about, posting.role]
    posting.product_areas = product_areas(scanned, posting.company)
    posting.model_terms = model_terms([*posting.responsibilities, *posting.about])
    if not posting.company:
        posting.missing.append('the company: add a line "Company: NAME" at the top of the posting')
    if not posting.role:
        posting.missing.append('the role: add a line "Job title: TITLE" at the top')
    if not posting.responsibilities:
        posting.missing.append(
            'the responsibilities: put them under a heading such as "What you\'ll do"'
        )
    if not posting.product_areas:
        posting.missing.append("a named product: the questions will speak of the role instead")
    return posting


# -- layout ----------------------------------------------------------------------------------


def _heading(line: str) -> str | None:
    """The heading text when *line* looks like a heading, else None."""
    md = _MARKDOWN_HEADING.match(line)
    if md:
        return md.group("text").strip().rstrip(":")
    if _BULLET.match(line):
        return None
    text = line.strip().rstrip(":").strip()
    words = text.split()
    if not words or len(words) > 8:
        return None
    if line.strip().endswith(":") or (not text.endswith(".") and _section_of(text) is not None):
        return text
    return None


def _section_of(heading: str) -> Section | None:
    lowered = heading.lower().replace("’", "'")
    for kind, words in HEADINGS.items():
        if any(lowered.startswith(w) or f" {w}" in f" {lowered}" for w in words):
            return kind
    return None


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def _sentences(text: str) -> list[str]:
    return [_sentence(s) for s in split_sentences(text)]


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if len(i) > 3))


def _clean_name(text: str) -> str:
    text = re.split(r"\s+[(|·]|,\s", text.strip())[0]
    return text.strip(" .:-—–").removesuffix("'s").strip()


def _clean_role(text: str) -> str:
    text = re.split(r"\s+[(|·]|\s+[—–]\s+|,\s*(?:remote|full|part|based)", text.strip())[0]
    return text.strip(" .:-")


def _company_and_role(posting: Posting, lines: list[str], first_line: str) -> None:
    for line in lines[:6]:
        hiring = _HIRING.match(line.strip())
        if hiring:
            posting.company = posting.company or _clean_name(hiring.group("company"))
            posting.role = posting.role or _clean_role(hiring.group("role"))
            return
    if first_line and (not posting.role or not posting.company):
        parts = _TITLE_SPLIT.split(first_line, maxsplit=1)
        if len(parts) == 2 and _ROLE_WORDS.search(parts[0]):
            posting.role = posting.role or _clean_role(parts[0])
            posting.company = posting.company or _clean_name(parts[1])
        elif len(parts) == 2 and _ROLE_WORDS.search(parts[1]):
            posting.company = posting.company or _clean_name(parts[0])
            posting.role = posting.role or _clean_role(parts[1])
        elif _ROLE_WORDS.search(first_line) and not posting.role:
            posting.role = _clean_role(first_line)


# -- what the posting names --------------------------------------------------------------------

_WORD = re.compile(r"[“\"]|[”\"]|[A-Za-z][\w&+'’-]*|[^\sA-Za-z]")
_QUOTED = re.compile(r"[“\"](?P<name>[^”\"]{2,40})[”\"]")


def product_areas(texts: list[str], company: str = "", limit: int = 6) -> list[str]:
    """Products the texts name, in the order they first appear (see the module docstring)."""
    found: list[str] = []
    company_words = {w.lower() for w in company.split()}
    for text in texts:
        found += [m.group("name").strip() for m in _QUOTED.finditer(text)]
        found += _capitalised(text)
    kept: list[str] = []
    for name in found:
        name = name.removesuffix("'s").removesuffix("’s").strip()
        low = name.lower()
        if not name or low == company.lower() or low in company_words:
            continue
        if all(w.lower() in NOT_PRODUCTS for w in name.split()):
            continue
        if any(low == k.lower() for k in kept):
            continue
        kept.append(name)
    # A name inside a longer one ("Scribe" in "Northwind Scribe") is the same product.
    kept = [n for n in kept if not any(n != o and _contains(o, n) for o in kept)]
    return kept[:limit]


def _contains(longer: str, shorter: str) -> bool:
    return re.search(rf"\b{re.escape(shorter.lower())}\b", longer.lower()) is not None


def _capitalised(text: str) -> list[str]:
    """Runs of capitalised words, with the product nouns that follow them."""
    tokens = re.findall(r"[A-Za-z][\w&+'’-]*|[^\sA-Za-z]", text)
    names: list[str] = []
    i = 0
    sentence_start = True
    while i < len(tokens):
        tok = tokens[i]
        if _is_cap(tok) and not (sentence_start and tok.lower() in NOT_PRODUCTS):
            run = [tok]
            j = i + 1
            while j < len(tokens) and (_is_cap(tokens[j]) or tokens[j] == "&"):
                run.append(tokens[j])
                j += 1
            while run and run[-1].lower() in NOT_PRODUCTS | {"&"}:
                run.pop()
            while run and run[0].lower() in NOT_PRODUCTS:
                run.pop(0)
            tail = 0
            while j + tail < len(tokens) and tail < 2 and tokens[j + tail].lower() in PRODUCT_NOUNS:
                tail += 1
            lone_opener = sentence_start and len(run) == 1 and not tail
            # "in Europe", "across Japan": a single name after a place word is a place.
            place = len(run) == 1 and not tail and i > 0 and tokens[i - 1].lower() in _PLACE_WORDS
            if run and not (lone_opener and not _camel(run[0])) and not place:
                names.append(" ".join(run + tokens[j : j + tail]))
            i = j + tail
            sentence_start = False
            continue
        sentence_start = tok in {".", "!", "?", ":", ";"}
        i += 1
    return names


_PLACE_WORDS: Final = frozenset({"in", "across", "from", "throughout", "within"})


def _is_cap(token: str) -> bool:
    if re.match(r"^(?:AI|ML)-", token):  # "AI-generated", "ML-powered": not a name
        return False
    return token[:1].isupper() and len(token) > 1


def _camel(token: str) -> bool:
    """A name written like a product ("PlayStation", "iPhone", "GT7"), not a plain word."""
    return any(ch.isupper() for ch in token[1:]) or any(ch.isdigit() for ch in token)


def model_terms(texts: list[str], limit: int = 4) -> list[str]:
    """What the models run on, in the order first named ("vision model", "catalog data")."""
    found: list[str] = []
    for text in texts:
        for m in _TERM.finditer(text):
            words = m.group("term").split()
            cut = max(
                (k + 1 for k, w in enumerate(words[:-1]) if w.lower() in _TERM_LEAD), default=0
            )
            words = words[cut:]
            if words and not words[0][:1].islower() and words[0] not in ("LLM", "ML", "AI"):
                words = words[1:] if len(words) > 1 and words[0][:1].isupper() else words
            term = " ".join(words)
            if not term or term.lower() in _TERM_GENERIC:
                continue
            if any(term.lower() == f.lower() for f in found):
                continue
            found.append(term)
    found = [t for t in found if not any(t != o and _contains(o, t) for o in found)]
    return found[:limit]
