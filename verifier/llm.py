"""Claims found by a language model, and checked against the text before they are believed.

The only module that imports openai or instructor. The model is asked (through instructor, with
a pydantic shape whose field descriptions are its instructions) for atomic claims, each with
the sentence it rests on copied from the article. Validators holding the article text check
that the sentence and any quote really occur in it; instructor re-asks with the error, a
bounded number of times. A claim still unsupported after that is kept with ``grounded=False``
and the reason: never silently dropped, never presented as fact.

The model is also asked to judge the findings the text lined up across articles, several
findings per request: how their versions relate and the words each judgement rests on. A
verdict whose cited words are not in the finding's members is re-asked, then kept with
``grounded=False`` and the problem; it stands beside the text's own relation, never over it.

    settings = ModelSettings(model="SmolLM2-135M-Instruct.Q4_1", base_url="http://127.0.0.1:8080/v1")
    found = extract_claims(article, settings, cache=Cache())
    verdicts = judge_findings(report, settings, cache=Cache())
"""

from __future__ import annotations

import hashlib
import logging
import re
import string
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)

from verifier.cache import Cache, cache_key
from verifier.errors import ConfigError, ModelError
from verifier.models import Article, Claim, Finding, Quote, Report, Verdict
from verifier.settings import ModelSettings
from verifier.text import Span, paragraphs, sentences

# instructor logs every failed attempt at ERROR level; the outcome is reported by this module.
logging.getLogger("instructor").addHandler(logging.NullHandler())

__all__ = [
    "CLAIMS_PROMPT",
    "JUDGE_PROMPT",
    "ClaimKind",
    "JudgedRelation",
    "JudgedSlot",
    "ModelClaim",
    "Prompt",
    "Usage",
    "extract_claims",
    "extract_claims_many",
    "judge_findings",
    "judge_pairs",
    "load_prompt",
    "locate",
    "make_client",
    "split_text",
    "to_claim",
]


def _prompts_folder() -> Path:
    """Where the prompt templates are: inside the installed package, or at the top of a
    source checkout."""
    shipped = Path(__file__).resolve().parent / "prompts"
    return shipped if shipped.is_dir() else Path(__file__).resolve().parent.parent / "prompts"


PROMPTS = _prompts_folder()
CLAIMS_PROMPT = "claims.v1"
ClaimKind = Literal["event", "statement", "number", "opinion"]
# Greedy and seeded, so that a rerun asks the same question and a recording replays.
_TEMPERATURE = 0.0
_SEED = 0

_MODES = {
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "tools": instructor.Mode.TOOLS,
    "json": instructor.Mode.JSON,
}
_NO_KEY = "set OPENAI_API_KEY or VERIFIER_API_KEY, or pass --base-url for a local server"


@dataclass(frozen=True)
class Prompt:
    """A prompt template from ``prompts/<name>.txt`` with named ``{placeholders}``."""

    name: str
    template: str

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(f for _, f, _, _ in string.Formatter().parse(self.template) if f)

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.template.encode()).hexdigest()

    def render(self, **values: str) -> str:
        """Fill every placeholder; a placeholder without a value, or a value without a
        placeholder (a template that lost one), is an error."""
        missing, unused = self.fields - values.keys(), values.keys() - self.fields
        if missing or unused:
            problems = [f"needs {{{name}}}" for name in sorted(missing)]
            problems += [f"has no {{{name}}} placeholder" for name in sorted(unused)]
            raise ConfigError(f"prompt {self.name}: {'; '.join(problems)}")
        return self.template.format(**values)


def load_prompt(name: str, directory: Path | None = None) -> Prompt:
    """The template ``prompts/<name>.txt`` (or in ``directory``)."""
    path = (directory or PROMPTS) / f"{name}.txt"
    try:
        return Prompt(name=name, template=path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the prompt ({error.strerror})") from error


# The shape the model fills. Field descriptions are its instructions.


class _Slots(BaseModel):
    actor: str | None = Field(default=None, max_length=60, description="Who acts, by name.")
    action: str | None = Field(
        default=None, max_length=60, description="What they do or say, as a verb."
    )
    object: str | None = Field(
        default=None, max_length=60, description="What or whom the action is about."
    )
    time: str | None = Field(
        default=None, max_length=60, description="When, as the article says it."
    )
    place: str | None = Field(
        default=None, max_length=60, description="Where, as the article says it."
    )
    quantity: str | None = Field(
        default=None, max_length=60, description="A number with its unit, if any."
    )


class _DraftClaim(BaseModel):
    statement: str = Field(
        max_length=200,
        description="One atomic, self-contained claim: a single fact, event, statement or "
        "opinion, with names instead of pronouns.",
    )
    sentence: str = Field(
        max_length=400,
        description="The sentence of the article the claim rests on, copied exactly, "
        "character for character.",
    )
    asserted_by: str = Field(
        max_length=60,
        description="Who asserts the claim: the outlet when the article says it in its own "
        "voice, else the person or body the article attributes it to.",
    )
    kind: ClaimKind = Field(
        description="event: something happened; statement: someone said something; number: "
        "a figure; opinion: a judgement."
    )
    slots: _Slots = Field(description="The parts of the claim that the article states.")
    quote: str | None = Field(
        default=None,
        max_length=200,
        description="A direct quote in the claim: the words between the quote marks, copied "
        "exactly; null when there is none.",
    )

    @field_validator("sentence")
    @classmethod
    def _sentence_in_article(cls, value: str, info: ValidationInfo) -> str:
        text = _context_text(info)
        if text is not None and locate(value, text) is None:
            raise ValueError(
                "this sentence is not in the article; copy one sentence of the article "
                "exactly, character for character"
            )
        return value

    @field_validator("quote")
    @classmethod
    def _quote_in_article(cls, value: str | None, info: ValidationInfo) -> str | None:
        text = _context_text(info)
        if value is not None and text is not None and locate(value, text) is None:
            raise ValueError(
                "this quote is not in the article; copy the quoted words exactly, or use null"
            )
        return value


class _Answer(BaseModel):
    claims: list[_DraftClaim] = Field(
        max_length=6, description="The claims of the article, in the order it makes them."
    )


def _describe_fields() -> str:
    """The answer's fields and their descriptions, for the prompt: a llama.cpp server enforces
    the schema but does not show it to the model."""
    lines = []
    for name, info in _DraftClaim.model_fields.items():
        lines.append(f"- {name}: {info.description}")
        if name == "slots":
            lines.extend(f"  - {n}: {i.description}" for n, i in _Slots.model_fields.items())
    return "\n".join(lines)


def _context_text(info: ValidationInfo) -> str | None:
    context = info.context
    return context.get("text") if isinstance(context, dict) else None


# What the caller gets.


class ModelClaim(BaseModel):
    """A claim a model found, after the checks against the text.

    ``start``/``end`` are the span of the supporting sentence in ``article.text`` (None when it
    is not in the text); ``text`` is those words. ``grounded`` is False, with ``reason``, when
    the sentence or the quote is not in the article.
    """

    model_config = ConfigDict(extra="forbid")

    article: str
    statement: str = Field(description="The model's wording of the atomic claim.")
    sentence: str = Field(description="The supporting sentence as the model gave it.")
    text: str | None = Field(description="The article's words at start:end.")
    start: int | None
    end: int | None
    asserted_by: str
    kind: ClaimKind
    slots: dict[str, str] = Field(description="actor, action, object, time, place, quantity.")
    quote: str | None = None
    grounded: bool
    reason: str | None = None
    by: str = Field(description="The model id.")
    prompt: str = Field(description="The prompt version, e.g. claims.v1.")


def to_claim(found: ModelClaim, claim_id: str) -> Claim:
    """The public Claim of a model claim: grounded with its sentence's span, or kept with
    ``grounded`` false, the reason and no span."""
    return Claim(
        id=claim_id,
        article=found.article,
        text=found.text if found.text is not None else found.sentence,
        start=found.start,
        end=found.end,
        by=found.by,
        grounded=found.grounded,
        reason=found.reason,
        statement=found.statement,
        asserted_by=found.asserted_by,
        kind=found.kind,
        slots=found.slots,
        quote=found.quote,
        prompt=found.prompt,
    )


@dataclass
class Usage:
    """Model calls made (re-asks included) and their tokens."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, completion: Any) -> None:
        usage = getattr(completion, "usage", None)
        with self._lock:
            self.calls += 1
            if usage is not None:
                self.prompt_tokens += usage.prompt_tokens or 0
                self.completion_tokens += usage.completion_tokens or 0


def _model_id(settings: ModelSettings) -> str:
    if settings.model_id is None:
        raise ConfigError("no model: set VERIFIER_MODEL or pass --model, or --gguf FILE")
    return settings.model_id


def make_client(settings: ModelSettings, usage: Usage | None = None) -> instructor.Instructor:
    """An instructor client for the endpoint in ``settings``; ``usage`` counts its calls."""
    _model_id(settings)
    key = settings.api_key.get_secret_value() if settings.api_key else None
    if key is None and settings.is_openai:
        raise ConfigError(_NO_KEY)
    client = openai.OpenAI(
        base_url=settings.endpoint,
        # A local server wants no key, but the client refuses to start without one.
        api_key=key or "no-key",
        timeout=settings.timeout,
        max_retries=settings.max_retries,
    )
    wrapped = instructor.from_openai(client, mode=_MODES[settings.instructor_mode])
    if usage is not None:
        wrapped.on("completion:response", usage.add)
    return wrapped


def extract_claims(
    article: Article,
    settings: ModelSettings,
    *,
    cache: Cache | None = None,
    usage: Usage | None = None,
) -> list[ModelClaim]:
    """The claims a model finds in ``article``, each checked against the text.

    A long article is asked about in parts split at paragraph breaks (``char_budget``
    characters at most); offsets are mapped back to the whole text. An answer in ``cache`` is
    used instead of a call.
    """
    prompt = load_prompt(CLAIMS_PROMPT)
    model_id = _model_id(settings)
    found: list[ModelClaim] = []
    for start, end in split_text(article.text, article.body_start, settings.char_budget):
        part = article.text[start:end]
        message = prompt.render(
            article_text=part,
            article_date=article.date.isoformat() if article.date else "on an unknown date",
            source=article.source,
            fields=_describe_fields(),
        )
        answer = _cached_answer(
            settings, prompt, _Answer, part, message, {"text": part}, cache, usage
        )
        drafts = _Answer.model_validate_json(answer).claims
        found.extend(_check(draft, article, start, part, model_id, prompt.name) for draft in drafts)
    return found


def _cached_answer(
    settings: ModelSettings,
    prompt: Prompt,
    shape: type[BaseModel],
    asked: str,
    message: str,
    context: dict[str, Any],
    cache: Cache | None,
    usage: Usage | None,
) -> str:
    """The model's answer (JSON of ``shape``) to ``message``, which asks about ``asked``: from
    ``cache`` when it holds one for the same text, model, prompt and settings."""
    model_id = _model_id(settings)
    key = cache_key(
        text=asked,
        model=model_id,
        prompt=prompt.name,
        prompt_digest=prompt.digest,
        schema=shape.model_json_schema(),
        mode=settings.instructor_mode,
        max_tokens=settings.max_tokens,
        reasks=settings.reasks,
        temperature=_TEMPERATURE,
        seed=_SEED,
    )
    answer = cache.get(key) if cache is not None else None
    if answer is None:
        client = make_client(settings, usage)
        answer = _ask(client, settings, model_id, message, shape, context)
        if cache is not None:
            cache.put(key, answer)
    return answer


def extract_claims_many(
    articles: Sequence[Article],
    settings: ModelSettings,
    *,
    cache: Cache | None = None,
    usage: Usage | None = None,
) -> list[list[ModelClaim]]:
    """``extract_claims`` for each article, ``settings.concurrency`` at a time, in order."""
    with ThreadPoolExecutor(max_workers=settings.concurrency) as pool:
        return list(
            pool.map(lambda a: extract_claims(a, settings, cache=cache, usage=usage), articles)
        )


def _ask(
    client: instructor.Instructor,
    settings: ModelSettings,
    model: str,
    message: str,
    shape: type[BaseModel],
    context: dict[str, Any],
) -> str:
    """The model's answer as JSON of ``shape``: validated against ``context``, or after the
    re-asks the last one that has the right shape (its grounding is judged by the caller)."""
    try:
        answer, _ = client.chat.completions.create_with_completion(
            model=model,
            messages=[{"role": "user", "content": message}],
            response_model=shape,
            context=context,
            max_retries=settings.reasks,
            max_tokens=settings.max_tokens,
            temperature=_TEMPERATURE,
            seed=_SEED,
        )
        return answer.model_dump_json()
    except InstructorRetryException as error:
        failure = _endpoint_failure(error, settings)
        if failure is not None:
            raise failure from error
        return _last_answer(error, settings, shape)
    except IncompleteOutputException as error:
        raise _one_line(
            settings, f"the answer was cut off at max_tokens={settings.max_tokens}"
        ) from error
    except openai.OpenAIError as error:
        raise _endpoint_failure(error, settings) or _one_line(settings, str(error)) from error


def _last_answer(
    error: InstructorRetryException, settings: ModelSettings, shape: type[BaseModel]
) -> str:
    raw = _completion_text(error.last_completion)
    try:
        return shape.model_validate_json(raw).model_dump_json()
    except ValidationError as invalid:
        first = invalid.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "answer"
        raise _one_line(
            settings,
            f"the answer is not the asked-for shape after {error.n_attempts} attempts "
            f"({where}: {first['msg']})",
        ) from error


def _completion_text(completion: Any) -> str:
    """The JSON the model wrote, whichever way the mode asked for it."""
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError, TypeError):
        return ""
    if message.tool_calls:
        return str(message.tool_calls[0].function.arguments)
    content = str(message.content or "")
    # JSON mode may wrap the object in a Markdown fence or prose.
    opening, closing = content.find("{"), content.rfind("}")
    return content[opening : closing + 1] if 0 <= opening < closing else content


def _endpoint_failure(error: BaseException, settings: ModelSettings) -> ModelError | None:
    """A ModelError naming the endpoint and the cause, when an API error is in the chain."""
    for cause in _chain(error):
        if isinstance(cause, openai.APITimeoutError):
            return _one_line(settings, f"no answer within {settings.timeout:g} s")
        if isinstance(cause, openai.APIConnectionError):
            root = [str(c) for c in _chain(cause) if str(c)][-1].strip().splitlines()[0]
            return _one_line(settings, f"cannot connect ({_clip(root, 160)})")
        if isinstance(cause, openai.RateLimitError):
            return _one_line(settings, f"rate limited (HTTP 429){_retried(settings)}")
        if isinstance(cause, openai.APIStatusError):
            return _one_line(
                settings,
                f"HTTP {cause.status_code}: {_clip(_detail(cause), 160)}{_retried(settings)}",
            )
    return None


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _detail(error: openai.APIStatusError) -> str:
    body = error.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else inner
        if message:
            return str(message)
    return error.message


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _retried(settings: ModelSettings) -> str:
    return f" after {settings.max_retries} retries" if settings.max_retries else ""


def _one_line(settings: ModelSettings, cause: str) -> ModelError:
    text = " ".join(f"model endpoint {settings.endpoint}: {cause}".split())
    if settings.api_key is not None:
        secret = settings.api_key.get_secret_value()
        if secret:
            text = text.replace(secret, "***")
    return ModelError(_clip(text, 400))


def _check(
    draft: _DraftClaim, article: Article, offset: int, part: str, model: str, prompt: str
) -> ModelClaim:
    """Judge one answered claim against the text it was asked about."""
    span = locate(draft.sentence, part)
    reasons = []
    if span is None:
        reasons.append("its sentence is not in the article")
    if draft.quote is not None and locate(draft.quote, part) is None:
        reasons.append("its quote is not in the article")
    start, end = (span[0] + offset, span[1] + offset) if span else (None, None)
    return ModelClaim(
        article=article.id,
        statement=draft.statement,
        sentence=draft.sentence,
        text=article.text[start:end] if start is not None else None,
        start=start,
        end=end,
        asserted_by=draft.asserted_by,
        kind=draft.kind,
        slots={k: v for k, v in draft.slots.model_dump().items() if v},
        quote=draft.quote,
        grounded=not reasons,
        reason="; ".join(reasons) or None,
        by=model,
        prompt=prompt,
    )


# Judging the findings the text lined up: several findings per request, each verdict checked
# against the words of the finding's members.

JUDGE_PROMPT = "judge.v1"
JudgedRelation = Literal["agree", "conflict", "partial", "unrelated"]
JudgedSlot = Literal["actor", "action", "object", "time", "place", "quantity", "speaker", "wording"]
_JUDGED = frozenset({"agree", "conflict"})


class _DraftVerdict(BaseModel):
    finding: int = Field(ge=1, description="The number of the finding judged, as in [1].")
    relation: JudgedRelation = Field(
        description="agree, conflict, partial or unrelated, as defined above."
    )
    slot: JudgedSlot | None = Field(
        default=None,
        description="What differs between the versions: actor, action, object, time, place, "
        "quantity, speaker or wording; null when nothing differs.",
    )
    reason: str = Field(
        min_length=1, max_length=300, description="One short sentence: why they relate so."
    )
    cited: list[Annotated[str, Field(max_length=300)]] = Field(
        max_length=6,
        description="The words the judgement rests on, copied exactly from the versions: "
        "a few words from each version.",
    )

    @field_validator("finding")
    @classmethod
    def _finding_exists(cls, value: int, info: ValidationInfo) -> int:
        members = _context_members(info)
        if members is not None and value not in members:
            numbers = ", ".join(f"[{n}]" for n in sorted(members))
            raise ValueError(f"there is no finding [{value}]; judge the findings {numbers}")
        return value

    @model_validator(mode="after")
    def _cited_in_versions(self, info: ValidationInfo) -> _DraftVerdict:
        members = _context_members(info)
        if members is not None:
            problem = _citation_problem(self.cited, members[self.finding])
            if problem is not None:
                raise ValueError(
                    f"finding [{self.finding}]: {problem}; copy the words from its versions "
                    "exactly, character for character"
                )
        return self


class _Judgement(BaseModel):
    verdicts: list[_DraftVerdict] = Field(description="One verdict for each finding, in order.")

    @model_validator(mode="after")
    def _one_verdict_each(self, info: ValidationInfo) -> _Judgement:
        members = _context_members(info)
        if members is not None:
            judged = [v.finding for v in self.verdicts]
            twice = sorted({n for n in judged if judged.count(n) > 1})
            missing = sorted(set(members) - set(judged))
            if twice or missing:
                raise ValueError(
                    "give exactly one verdict for each finding"
                    + "".join(f"; [{n}] is judged more than once" for n in twice)
                    + "".join(f"; [{n}] has no verdict" for n in missing)
                )
        return self


def _judgement_shape(count: int) -> type[_Judgement]:
    """The answer's shape for ``count`` findings: a server that enforces the schema then
    holds the model to exactly that many verdicts."""
    return create_model(
        "Judgement",
        __base__=_Judgement,
        verdicts=(
            list[_DraftVerdict],
            Field(
                min_length=count,
                max_length=count,
                description="One verdict for each finding, in order.",
            ),
        ),
    )


def _describe_verdict() -> str:
    return "\n".join(
        f"- {name}: {info.description}" for name, info in _DraftVerdict.model_fields.items()
    )


def _context_members(info: ValidationInfo) -> dict[int, list[str]] | None:
    context = info.context
    members = context.get("members") if isinstance(context, dict) else None
    return members if isinstance(members, dict) else None


def _citation_problem(cited: Sequence[str], texts: Sequence[str]) -> str | None:
    """Why ``cited`` does not stand in ``texts``, or None when every citation does."""
    if not cited:
        return "it cites no words"
    missing = [c for c in cited if not any(locate(c, text) for text in texts)]
    if missing:
        return "cited words not in the statements: " + ", ".join(
            f'"{_clip(c, 80)}"' for c in missing
        )
    return None


@dataclass(frozen=True)
class _Judged:
    """One finding as the model is shown it: its versions, and the words it may cite."""

    finding: str
    shown: str
    texts: list[str]


def judge_findings(
    report: Report,
    settings: ModelSettings,
    *,
    cache: Cache | None = None,
    usage: Usage | None = None,
) -> dict[str, Verdict]:
    """A model's verdict on each finding of ``report`` that lines up quotes or statements
    across articles (``agree`` or ``conflict``), by finding id.

    Findings are asked about several at a time (at most ``judge_batch`` findings and
    ``char_budget`` characters of their words per request, ``concurrency`` requests at once).
    Each verdict must cite words that stand in its finding's members; one that does not is
    re-asked, then kept with ``grounded`` false and the problem. A finding the model gave no
    readable verdict for is left out. An answer in ``cache`` is used instead of a call.
    """
    quotes = {quote.id: quote for quote in report.quotes}
    claims = {claim.id: claim for claim in report.claims}
    sources = {article.id: article.source for article in report.articles}
    judged = [
        _shown(finding, quotes, claims, sources)
        for finding in report.findings
        if finding.relation in _JUDGED
    ]
    return _judge_all(judged, settings, cache, usage)


def judge_pairs(
    pairs: Sequence[tuple[str, str]],
    settings: ModelSettings,
    *,
    cache: Cache | None = None,
    usage: Usage | None = None,
) -> list[Verdict | None]:
    """A model's verdict on each pair of statements ``(a, b)``, in order (None where it gave
    no readable verdict): ``verifier relate`` with a model. Batched, checked against the two
    statements' words, re-asked and cached exactly as ``judge_findings``; a request that
    fails (the endpoint, or an answer cut off at ``max_tokens``) raises ``ModelError``."""
    judged = [
        _Judged(
            finding=str(number), shown=f"Versions of a statement:\n  A: {a}\n  B: {b}", texts=[a, b]
        )
        for number, (a, b) in enumerate(pairs)
    ]
    verdicts = _judge_all(judged, settings, cache, usage)
    return [verdicts.get(str(number)) for number in range(len(pairs))]


def _judge_all(
    judged: list[_Judged], settings: ModelSettings, cache: Cache | None, usage: Usage | None
) -> dict[str, Verdict]:
    """Verdicts by finding id, asked in batches, ``concurrency`` requests at once."""
    batches = _batches(judged, settings.judge_batch, settings.char_budget)
    with ThreadPoolExecutor(max_workers=settings.concurrency) as pool:
        answered = pool.map(lambda batch: _judge_batch(batch, settings, cache, usage), batches)
        return {finding: verdict for found in answered for finding, verdict in found.items()}


def _shown(
    finding: Finding, quotes: dict[str, Quote], claims: dict[str, Claim], sources: dict[str, str]
) -> _Judged:
    """A finding's versions labelled A, B, ...; a quote's speaker may be cited with its words."""
    lines = [f"Versions of a {finding.kind}:"]
    texts: list[str] = []
    for label, member in zip(string.ascii_uppercase, finding.members, strict=False):
        if member in quotes:
            quote = quotes[member]
            said = f", said by {quote.speaker}" if quote.speaker else ""
            lines.append(f'  {label} ({sources[quote.article]}{said}): "{quote.text}"')
            texts.extend(t for t in (quote.text, quote.speaker) if t)
        else:
            claim = claims[member]
            lines.append(f"  {label} ({sources[claim.article]}): {claim.text}")
            texts.append(claim.text)
    return _Judged(finding=finding.id, shown="\n".join(lines), texts=texts)


def _batches(judged: list[_Judged], size: int, budget: int) -> list[list[_Judged]]:
    """Consecutive batches of at most ``size`` findings and ``budget`` characters; a finding
    longer than the budget is a batch of its own."""
    batches: list[list[_Judged]] = []
    used = 0
    for item in judged:
        if batches and len(batches[-1]) < size and used + len(item.shown) <= budget:
            batches[-1].append(item)
            used += len(item.shown)
        else:
            batches.append([item])
            used = len(item.shown)
    return batches


def _judge_batch(
    batch: list[_Judged], settings: ModelSettings, cache: Cache | None, usage: Usage | None
) -> dict[str, Verdict]:
    """One request about ``batch`` (or its cached answer), each verdict checked against the
    words of its finding."""
    prompt = load_prompt(JUDGE_PROMPT)
    model_id = _model_id(settings)
    shape = _judgement_shape(len(batch))
    shown = "\n\n".join(f"[{n}] {item.shown}" for n, item in enumerate(batch, 1))
    message = prompt.render(count=str(len(batch)), fields=_describe_verdict(), findings=shown)
    members = {n: item.texts for n, item in enumerate(batch, 1)}
    answer = _cached_answer(
        settings, prompt, shape, shown, message, {"members": members}, cache, usage
    )
    verdicts: dict[str, Verdict] = {}
    for draft in shape.model_validate_json(answer).verdicts:
        if not 1 <= draft.finding <= len(batch):
            continue  # about no finding that was asked about: nothing to attach it to
        item = batch[draft.finding - 1]
        if item.finding in verdicts:
            continue  # the first verdict on a finding stands
        problem = _citation_problem(draft.cited, item.texts)
        verdicts[item.finding] = Verdict(
            relation=draft.relation,
            slot=draft.slot,
            reason=draft.reason,
            cited=draft.cited,
            grounded=problem is None,
            problem=problem,
            by=model_id,
            prompt=prompt.name,
        )
    return verdicts


# Where words occur in a text, and how a long text is split.

_QUOTE_MARKS = str.maketrans(
    {mark: '"' for mark in "'\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb`"}
)
_SPACE = re.compile(r"\s+")


def locate(words: str, text: str) -> Span | None:
    """Where ``words`` occur verbatim in ``text``, as a span of ``text``, or None. Only quote
    marks (any kind matches any kind) and runs of white space are normalised."""
    needle = _SPACE.sub(" ", words.translate(_QUOTE_MARKS)).strip()
    if not needle:
        return None
    normal, origin = _normalise(text)
    position = normal.find(needle)
    if position < 0:
        return None
    return origin[position], origin[position + len(needle) - 1] + 1


def _normalise(text: str) -> tuple[str, list[int]]:
    """``text`` with quote marks unified and white space runs made one space, and for each of
    its characters the offset in ``text`` it comes from."""
    characters: list[str] = []
    origin: list[int] = []
    for match in re.finditer(r"\s+|\S", text.translate(_QUOTE_MARKS)):
        characters.append(" " if match.group().isspace() else match.group())
        origin.append(match.start())
    return "".join(characters), origin


def split_text(text: str, start: int, budget: int) -> list[Span]:
    """``text[start:]`` as consecutive parts of at most ``budget`` characters, split at
    paragraph breaks, or at sentence breaks inside a paragraph that is longer on its own. A
    sentence longer than the budget is a part of its own."""
    pieces: list[Span] = []
    for paragraph in paragraphs(text, start):
        if paragraph[1] - paragraph[0] <= budget:
            pieces.append(paragraph)
        else:
            pieces.extend(sentences(text, *paragraph))
    parts: list[Span] = []
    for piece_start, piece_end in pieces:
        if parts and piece_end - parts[-1][0] <= budget:
            parts[-1] = (parts[-1][0], piece_end)
        else:
            parts.append((piece_start, piece_end))
    return parts
