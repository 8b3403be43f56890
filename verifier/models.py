"""The public data models: what each stage takes and returns, and the JSON report contract.

Every item that stands on words of an article carries ``article`` (the article id) and
``start``/``end`` such that ``article.text[start:end] == item.text``.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

TEXT_FINDER = "text"
"""The value of ``by`` for everything the tool's own code found (no model involved)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Article(_Model):
    """One news article: its metadata and its text exactly as read (offsets index into it)."""

    id: str = Field(description="Short id, unique within a report (a0, a1, ...).")
    path: str | None = Field(default=None, description="Where it was read from; '-' for stdin.")
    source: str = Field(description="The outlet, from metadata or else the file name.")
    date: dt.date | None = Field(default=None, description="Publication date, when known.")
    title: str | None = None
    url: str | None = None
    text: str = Field(description="The article text; every span in the report indexes into it.")
    body_start: int = Field(
        default=0,
        description="Where the article body starts in `text`, after any leading metadata lines.",
    )


class Quote(_Model):
    """A direct quotation: the words between the quote marks, and who said them."""

    id: str
    article: str = Field(description="The id of the article the quote is in.")
    text: str = Field(description="The quoted words, without the quote marks.")
    start: int
    end: int
    speaker: str | None = Field(
        default=None,
        description="Who said it, as the article names them (the fullest form of the name it "
        "uses). Null when the text does not say: never a guess.",
    )
    speaker_start: int | None = Field(
        default=None, description="Span of the mention of the speaker that `speaker` is."
    )
    speaker_end: int | None = None
    speaker_role: str | None = Field(
        default=None, description="The title or role the article gives the speaker, if any."
    )
    mention: str | None = Field(
        default=None,
        description="The words next to the quote that name the speaker ('she', 'Glass'), "
        "when they differ from `speaker`.",
    )
    mention_start: int | None = None
    mention_end: int | None = None
    cue: str | None = Field(
        default=None, description="The attribution words: said, told, according to, ..."
    )
    cue_start: int | None = None
    cue_end: int | None = None
    kind: Literal["direct", "partial"] = Field(
        default="direct",
        description="direct: the quote is the reported speech itself; partial: a few quoted "
        "words inside the outlet's own sentence.",
    )
    continues: str | None = Field(
        default=None,
        description="For a quote split by its attribution, the id of the part it continues.",
    )
    by: str = Field(default=TEXT_FINDER, description="Who found it: 'text', or a model id.")


FactKind = Literal["number", "date", "place"]


class Fact(_Model):
    """A number, date or place stated in a sentence."""

    id: str
    article: str
    kind: FactKind
    text: str = Field(description="The words as written ('on Saturday', '2,000', 'Okinawa').")
    start: int
    end: int
    value: str = Field(
        description="Normalised value: a number as digits ('2000', '0.5'), a date in ISO form "
        "('2025-12-06', '2025-11' for a month), a place name."
    )
    unit: str | None = Field(default=None, description="For numbers: what is counted, if said.")
    resolved: bool = Field(
        default=True,
        description="False for a relative date ('on Saturday') that could not be resolved "
        "because the article has no date.",
    )


ClaimKind = Literal["event", "statement", "number", "opinion"]


class Claim(_Model):
    """A statement an article makes.

    Found by the tool's own code (``by`` is ``text``), it is a sentence that states a fact,
    holds a quote or reports what someone said. Found by a model (``by`` is the model id), it
    is an atomic claim (``statement``) resting on a sentence of the article: ``text`` and
    ``start``/``end`` are that sentence. A model claim whose sentence or quote is not in the
    article is kept with ``grounded`` false, the ``reason``, and no span: unverified, never
    fact.
    """

    id: str
    article: str
    text: str = Field(
        description="The sentence as it stands in the article (or, for an "
        "ungrounded model claim, as the model gave it)."
    )
    start: int | None = Field(description="Null only for an ungrounded model claim.")
    end: int | None
    facts: list[str] = Field(default_factory=list, description="Ids of the facts it states.")
    quotes: list[str] = Field(default_factory=list, description="Ids of the quotes it holds.")
    by: str = TEXT_FINDER
    grounded: bool = Field(
        default=True, description="False when a model's sentence or quote is not in the text."
    )
    reason: str | None = Field(default=None, description="Why it is not grounded.")
    statement: str | None = Field(
        default=None, description="A model claim's self-contained wording."
    )
    asserted_by: str | None = Field(
        default=None, description="Who asserts it: the outlet or a named source (model claims)."
    )
    kind: ClaimKind | None = Field(default=None, description="What sort of claim (model claims).")
    slots: dict[str, str] = Field(
        default_factory=dict,
        description="actor, action, object, time, place, quantity, where the model gave them.",
    )
    quote: str | None = Field(default=None, description="A direct quote the model says it holds.")
    prompt: str | None = Field(default=None, description="The prompt version that produced it.")

    @property
    def span(self) -> tuple[int, int]:
        """``(start, end)`` of a claim that stands in the text."""
        if self.start is None or self.end is None:
            raise ValueError(f"{self.id} is not in the text ({self.reason}): it has no span")
        return self.start, self.end


class Origin(_Model):
    """A sign that an article relies on another outlet: a credit in its text ("via Reuters",
    "according to Kyodo") or a passage it shares word for word with another article."""

    id: str
    article: str
    kind: Literal["credit", "copy"]
    outlet: str = Field(description="The outlet relied on, or the article shared with.")
    text: str = Field(description="The words that show it.")
    start: int
    end: int
    scope: Literal["article", "sentence"] = Field(
        description="article: a credit on its own line or in the opening sentence, covering "
        "the whole article; sentence: it covers the words around it."
    )


Relation = Literal["agree", "conflict", "unique"]
Fidelity = Literal["identical", "truncated", "variant", "unique"]


class Finding(_Model):
    """What the sources say about one quote or one statement, taken together."""

    id: str
    relation: Relation
    kind: Literal["quote", "statement"]
    members: list[str] = Field(description="Ids of the quotes or claims it groups.")
    sources: list[str] = Field(description="The outlets whose articles the members are in.")
    explanation: str = Field(description="One or two sentences for a person.")
    fidelity: Fidelity | None = Field(
        default=None,
        description="Quote findings: identical (same words); truncated (one version is part of "
        "a longer one); variant (the wording differs); unique (one source only).",
    )
    speakers_differ: bool = Field(
        default=False, description="Quote findings: the versions name different speakers."
    )
    differences: list[Difference] = Field(
        default_factory=list, description="The points on which the members differ."
    )
    event: str | None = Field(default=None, description="The id of the event it belongs to.")
    verdict: Verdict | None = Field(
        default=None,
        description="A model's judgement of the members, when a model was configured. The "
        "relation above stays the text's own; the verdict stands beside it.",
    )
    independent_sources: int | None = Field(
        default=None,
        description="How many independent sources stand behind the members, once credits and "
        "shared passages are followed back.",
    )
    by: str = TEXT_FINDER


Slot = Literal["date", "number", "place", "actor", "negation", "speaker", "wording", "framing"]


class Side(_Model):
    """The words one source gives on a point where two sources differ."""

    article: str
    text: str
    start: int
    end: int
    value: str | None = Field(default=None, description="A fact's normalised value, if any.")
    item: str | None = Field(default=None, description="The id of the fact or quote, if any.")


class Difference(_Model):
    """One point on which two statements about the same thing differ, with both sides' words.

    slot: date, number or place (the facts differ); actor (each side says the other did it);
    negation (one says it happened or was said, the other denies it); speaker (the same words
    given to another speaker); wording (the words of a quote differ); framing (one side colours
    the same account with words the other does not use).
    """

    slot: Slot
    left: Side
    right: Side
    note: str | None = Field(default=None, description="One sentence for a person.")


class Verdict(_Model):
    """A model's judgement of statements lined up across articles, checked against their words.

    The model must cite the words each side's judgement rests on; a verdict whose citations
    are not in the statements is kept with ``grounded`` false and the reason.
    """

    relation: Literal["agree", "conflict", "partial", "unrelated"]
    slot: str | None = Field(default=None, description="What differs: actor, number, date, ...")
    reason: str = Field(description="The model's short reason.")
    cited: list[str] = Field(default_factory=list, description="The words the model cited.")
    grounded: bool = True
    problem: str | None = Field(default=None, description="Why it is not grounded.")
    by: str = Field(description="The model id.")
    prompt: str = Field(description="The prompt version.")


class Event(_Model):
    """Statements of several articles that speak of the same happening."""

    id: str
    label: str = Field(description="The words its statements share most.")
    members: list[str] = Field(description="Ids of the claims it holds.")
    sources: list[str]


class Report(_Model):
    """The whole result of a run: the JSON report contract."""

    version: str = Field(description="Version of verifier that wrote the report.")
    model: str | None = Field(
        default=None, description="The model that added claims or judgements; null for none."
    )
    prompts: dict[str, str] = Field(
        default_factory=dict, description="Prompt name to the version of it the model was given."
    )
    settings: dict[str, str | int | float | bool | None] = Field(
        default_factory=dict, description="The settings that shaped the report (never a key)."
    )
    articles: list[Article]
    quotes: list[Quote] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    origins: list[Origin] = Field(
        default_factory=list, description="Which outlets the articles credit or copy."
    )
    events: list[Event] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)

    def article(self, article_id: str) -> Article:
        """The article with this id."""
        for article in self.articles:
            if article.id == article_id:
                return article
        raise KeyError(article_id)


Finding.model_rebuild()
