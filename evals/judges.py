"""Judges decide "is this claim supported by this evidence text?".

Two implementations share one interface so every grounding metric works with either:

- `OfflineJudge`: no model download. Scores a claim against each sentence (and each pair
  of adjacent sentences) of the evidence by weighted content-word coverage, optionally
  blended with MiniLM cosine similarity from `qa.embed`, with hard checks for numbers and
  negation. Its threshold is calibrated on `evals/data/judge_pairs.jsonl`.
- `LLMJudge`: asks an OpenAI-compatible chat endpoint, with a JSON schema for the verdicts,
  the way RAGAS (statements, then a verdict per statement) and ALCE (entailment per
  sentence) do.

The engine asks the same question of every citation it keeps (qa.facts, the fact-level
check). These judges deliberately share none of its code, tokenizer or word lists: a judge
must not share the code it judges, or the grounding metrics would only confirm the engine's
own mistakes. (evals/calibrate.py measures both on the same labelled pairs.)
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from evals.metrics import split_sentences, strip_citations

CALIBRATION_FILE = Path(__file__).parent / "data" / "offline_judge.json"


@dataclass
class Verdict:
    """One judged claim. `score` is the judge's support score in [0, 1]."""

    claim: str
    supported: bool
    score: float
    evidence: str = ""  # the best-matching evidence span (offline) or the model's reason
    error: str | None = None  # set when the judge could not decide (counted unsupported)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Judge:
    """Interface: `judge(claims, evidence)` and `claims(answer, question)`."""

    name = "judge"

    def judge(self, claims: list[str], evidence: str) -> list[Verdict]:
        raise NotImplementedError

    def supported(self, claim: str, evidence: str) -> bool:
        """Convenience for a single claim."""
        return self.judge([claim], evidence)[0].supported

    def claims(self, answer: str, question: str = "") -> list[str]:
        """The answer's atomic claims. Default: its sentences without citation markers."""
        out = [strip_citations(s) for s in split_sentences(answer)]
        return [c for c in out if _has_content(c)]

    def describe(self) -> dict[str, Any]:
        return {"name": self.name}


def _has_content(text: str) -> bool:
    return bool(re.search(r"[A-Za-z0-9]", text))


# --- offline judge --------------------------------------------------------------------

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself of off on once only or other
    our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your
    yours yourself yourselves said says say told tell according also may might must shall
    us s t ve ll d re m o""".split()  # noqa: SIM905
)
NEGATIONS = frozenset({"not", "no", "never", "none", "nor", "without", "cannot", "neither"})
# Number words are folded to digits so "three diplomats" and "3 diplomats" agree.
_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "first": "1st", "second": "2nd", "third": "3rd",
}  # fmt: skip
_TOKEN_RE = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|\d+(?:[.,]\d+)*")


def _stem(word: str) -> str:
    """A deliberately light suffix stripper: deploy/deployed/deploying, guarantee(s) agree."""
    for suffix in ("'s", "\u2019s"):
        if word.endswith(suffix):
            word = word[: -len(suffix)]
    for suffix in ("ing", "ed", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                continue
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


@dataclass(frozen=True)
class _Tok:
    stem: str
    key: bool  # a number or a proper noun: must be matched
    number: bool = False
    negated: bool = False  # within three words after a negation ("will not deploy")
    initial: bool = False  # the text's first word (capitalised whatever it is)


# Spellings of the same country folded to one token before tokenising.
_ALIASES = [
    (re.compile(r"\b(?:U\.S\.A?\.?|USA|US|United States(?: of America)?)(?![A-Za-z])"), " USA "),
    (re.compile(r"\b(?:U\.K\.?|UK|United Kingdom)(?![A-Za-z])"), " UK "),
]
_NEG_SCOPE = 3


def content_tokens(text: str) -> list[_Tok]:
    """Content words (stemmed, lower-case) of `text`, flagging numbers and proper nouns.

    A capitalised word counts as a proper noun unless it is a stopword or opens the text
    (where every word is capitalised; the judge settles that one against the evidence).
    Words within three words after a negation are marked `negated`.
    """
    text = text.replace("\u2019", "'").replace("n't", " not")
    for pattern, repl in _ALIASES:
        text = pattern.sub(repl, text)
    out: list[_Tok] = []
    neg_left = 0
    for i, m in enumerate(_TOKEN_RE.finditer(text)):
        raw = m.group(0)
        low = raw.lower()
        if low in NEGATIONS:
            neg_left = _NEG_SCOPE
            continue  # see `negated`: overlap should not reward "not" matching "not"
        negated = neg_left > 0
        neg_left = max(0, neg_left - 1)
        if low in _NUMBER_WORDS:
            out.append(_Tok(_NUMBER_WORDS[low], True, True, negated))
        elif low in STOPWORDS:
            continue
        elif raw[0].isdigit():
            out.append(_Tok(raw.replace(",", ""), True, True, negated))
        else:
            proper = raw[0].isupper() and i > 0
            out.append(_Tok(_stem(low), proper, False, negated, i == 0))
    return out


def _negation_clash(claim: list[_Tok], window: list[_Tok]) -> bool:
    """A word negated on one side and asserted on the other ("will (not) deploy")."""
    c_neg = {t.stem for t in claim if t.negated}
    c_pos = {t.stem for t in claim if not t.negated}
    w_neg = {t.stem for t in window if t.negated}
    w_pos = {t.stem for t in window if not t.negated}
    return bool((c_neg & (w_pos - w_neg)) or (c_pos & (w_neg - w_pos)))


@dataclass
class OfflineJudge(Judge):
    """Content-word coverage (and optional embedding similarity) at sentence level.

    For each window (a sentence of the evidence, or two adjacent ones):
    coverage = weighted share of the claim's content words found in the window (numbers
    and proper nouns weigh `key_weight`); score = (1 - w) * coverage + w * cosine when
    embeddings are on (coverage alone for a bare name, date or number of up to three
    words); then x `number_penalty` per missing number, x `key_penalty` per missing proper
    noun, x `negation_penalty` if a word is negated on one side only. The
    claim's score is its best window's; supported when score >= threshold.
    """

    threshold: float | None = None
    use_embeddings: bool | None = None  # None: use them when qa.embed is importable
    embed_weight: float = 0.35
    key_weight: float = 2.0
    key_penalty: float = 0.75
    number_penalty: float = 0.5
    negation_penalty: float = 0.6
    name: str = "offline"
    _embedder: Any = field(default=None, repr=False)
    _cache: dict[tuple[str, str], Verdict] = field(default_factory=dict, repr=False)
    _windows: dict[str, Any] = field(default_factory=dict, repr=False)
    _vectors: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.use_embeddings is None or self.use_embeddings:
            self._embedder = _load_embedder()
            if self._embedder is None and self.use_embeddings:
                raise RuntimeError("use_embeddings=True but qa.embed is not available")
        self.use_embeddings = self._embedder is not None
        if self.threshold is None:
            self.threshold = load_calibration().get(self.mode, {}).get("threshold", 0.65)

    @property
    def mode(self) -> str:
        """Which feature set is in use: the calibration file keeps one threshold per mode."""
        return "overlap+embed" if self.use_embeddings else "overlap"

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "mode": self.mode, "threshold": self.threshold}

    def _prepare(self, evidence: str) -> tuple[list[str], list[list[_Tok]], set[str]]:
        key = hashlib.sha1(evidence.encode()).hexdigest()
        if key not in self._windows:
            sents = [s for s in split_sentences(evidence) if _has_content(s)]
            windows = sents + [f"{a} {b}" for a, b in zip(sents, sents[1:], strict=False)]
            toks = [content_tokens(w) for w in windows]
            proper = {t.stem for ts in toks[: len(sents)] for t in ts if t.key and not t.number}
            self._windows[key] = (windows, toks, proper)
        return self._windows[key]

    def _embed(self, texts: list[str]) -> Any:
        """Embeddings with a per-text cache: contexts repeat across questions."""
        import numpy as np

        todo = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if todo:
            for t, v in zip(todo, self._embedder.embed_cached(todo), strict=True):
                self._vectors[t] = v
        return np.stack([self._vectors[t] for t in texts])

    def _lexical(self, ctoks: list[_Tok], toks: list[_Tok], total: float) -> tuple[float, float]:
        """(coverage, product of penalties) of one window: the parts that need no model."""
        have = {t.stem for t in toks}
        got = sum((self.key_weight if t.key else 1.0) for t in ctoks if t.stem in have)
        missing = {t for t in ctoks if t.key and t.stem not in have}
        factor = self.number_penalty ** sum(1 for t in missing if t.number)
        factor *= self.key_penalty ** sum(1 for t in missing if not t.number)
        if _negation_clash(ctoks, toks):
            factor *= self.negation_penalty
        return got / total, factor

    def score(self, claim: str, evidence: str) -> tuple[float, str]:
        """(best score, best window) of `claim` against `evidence`, score in [0, 1]."""
        claim = strip_citations(claim)
        windows, wtoks, proper = self._prepare(evidence)
        ctoks = content_tokens(claim)
        # The claim's first word is a proper noun if the evidence writes it as one.
        ctoks = [
            _Tok(t.stem, True, False, t.negated) if t.initial and t.stem in proper else t
            for t in ctoks
        ]
        if not ctoks or not windows:
            return 0.0, ""
        total = sum(self.key_weight if t.key else 1.0 for t in ctoks)
        lexical = [self._lexical(ctoks, toks, total) for toks in wtoks]
        # A bare name, date or number ("Monday.", "Daily Caller."): nothing to compare the
        # meaning of, so coverage alone decides.
        bare_fact = all(t.key for t in ctoks) and len(ctoks) <= 3
        if self._embedder is None or bare_fact:
            scores = {i: cov * f for i, (cov, f) in enumerate(lexical)}
        else:
            scores = self._blended(claim, windows, lexical)
        # The first window with the highest score, as a scan in window order picks it.
        i = max(scores, key=lambda j: (scores[j], -j))
        return min(1.0, max(0.0, scores[i])), windows[i] if scores[i] > 0 else ""

    def _blended(
        self, claim: str, windows: list[str], lexical: list[tuple[float, float]]
    ) -> dict[int, float]:
        """Scores of the windows that can still win, embedding as few as it takes.

        Written by hand because no library prunes this: a window scores at most what it
        would with cosine 1, so windows are embedded best bound first, four at a time,
        until no bound left can beat the best score found. The winner is the one a full
        scan picks, and most of an article's windows are never embedded."""
        w = self.embed_weight
        bound = [((1 - w) * cov + w) * f for cov, f in lexical]
        order = sorted(range(len(windows)), key=lambda j: (-bound[j], j))
        cvec = self._embed([claim])[0]
        scores: dict[int, float] = {}
        best = 0.0
        for start in range(0, len(order), 4):
            batch = [j for j in order[start : start + 4] if bound[j] >= best]
            if not batch:
                break
            cos = self._embed([windows[j] for j in batch]) @ cvec
            for j, c in zip(batch, cos, strict=True):
                cov, f = lexical[j]
                scores[j] = ((1 - w) * cov + w * max(0.0, float(c))) * f
            best = max(best, *(scores[j] for j in batch))
        return scores

    def judge(self, claims: list[str], evidence: str) -> list[Verdict]:
        out = []
        ev_key = hashlib.sha1(evidence.encode()).hexdigest()
        for claim in claims:
            key = (claim, ev_key)
            if key not in self._cache:
                s, w = self.score(claim, evidence)
                self._cache[key] = Verdict(claim, s >= float(self.threshold or 0.0), s, w)
            out.append(self._cache[key])
        return out


def _load_embedder() -> Any:
    """The engine's own MiniLM embedder, or None. The same instance (all cores, as the
    default settings use it) so that an eval's judge and answerer share one sentence cache;
    a one-thread embedder made the labelled-pairs check take twice as long."""
    try:
        from qa.embed import get_embedder

        return get_embedder()
    except Exception:  # noqa: BLE001 - any failure means "no embeddings", by design
        return None


def load_calibration(path: Path = CALIBRATION_FILE) -> dict[str, Any]:
    """The calibrated thresholds per mode ({} if the file is missing)."""
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


# --- LLM judge ------------------------------------------------------------------------

_VERDICT_SYSTEM = (
    "You check statements against a context. For each numbered statement decide whether "
    "the context alone supports it: 'yes' only if the statement can be directly inferred "
    "from the context, otherwise 'no' (including when the context says nothing about it). "
    "Reply in JSON."
)
_CLAIMS_SYSTEM = (
    "Break the answer into short, self-contained factual statements, one fact each, with "
    "pronouns replaced by the names they refer to. Leave out refusals and statements "
    "about the answer itself. Reply in JSON."
)


def _verdict_schema(n: int) -> dict[str, Any]:
    """A fixed-size object (statement_1..n) rather than an array: no minItems needed."""
    item = {
        "type": "object",
        "properties": {
            "verdict": {"type": "string", "enum": ["yes", "no"]},
            "reason": {"type": "string"},
        },
        "required": ["verdict", "reason"],
        "additionalProperties": False,
    }
    props = {f"statement_{i + 1}": item for i in range(n)}
    return {
        "type": "object",
        "properties": props,
        "required": list(props),
        "additionalProperties": False,
    }


_CLAIMS_SCHEMA = {
    "type": "object",
    "properties": {"statements": {"type": "array", "items": {"type": "string"}}},
    "required": ["statements"],
    "additionalProperties": False,
}


class LLMJudge(Judge):
    """Verdicts from a chat model via `response_format={"type": "json_schema", ...}`.

    Unparseable output never becomes NaN: the claim is marked unsupported with `error` set
    and `errors` is counted, so a broken judge shows up as low scores plus an error count.
    """

    name = "llm"

    def __init__(
        self,
        client: Any,
        model: str,
        *,
        max_evidence_chars: int = 12000,
        max_reason_tokens: int = 60,
        extract_claims: bool = True,
        strict: bool = True,
    ) -> None:
        self.client = client
        self.model = model
        self.max_evidence_chars = max_evidence_chars
        self.max_reason_tokens = max_reason_tokens
        self.extract_claims = extract_claims
        self.strict = strict
        self.calls = 0
        self.errors = 0
        self._cache: dict[tuple[str, str], Verdict] = {}

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "model": self.model, "calls": self.calls, "errors": self.errors}

    def _chat(self, system: str, user: str, schema: dict[str, Any], name: str, max_tokens: int):
        self.calls += 1
        resp = self.client.chat.completions.create(
            model=self.model,
            messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
            temperature=0.0,
            max_tokens=max_tokens,
            response_format={
                "type": "json_schema",
                "json_schema": {"name": name, "schema": schema, "strict": self.strict},
            },
        )
        return json.loads(resp.choices[0].message.content or "")

    def judge(self, claims: list[str], evidence: str) -> list[Verdict]:
        ev = evidence[: self.max_evidence_chars]
        ev_key = hashlib.sha1(ev.encode()).hexdigest()
        todo = [c for c in dict.fromkeys(claims) if (c, ev_key) not in self._cache]
        if todo:
            listing = "\n".join(
                f"statement_{i + 1}: {strip_citations(c)}" for i, c in enumerate(todo)
            )
            user = f"Context:\n{ev}\n\nStatements:\n{listing}"
            try:
                data = self._chat(
                    _VERDICT_SYSTEM,
                    user,
                    _verdict_schema(len(todo)),
                    "verdicts",
                    max_tokens=16 + len(todo) * (12 + self.max_reason_tokens),
                )
                if not isinstance(data, dict):
                    raise ValueError("verdicts are not a JSON object")
            except Exception as exc:  # noqa: BLE001 - network, schema or JSON failure alike
                self.errors += 1
                data, err = {}, f"{type(exc).__name__}: {exc}"[:200]
            else:
                err = None
            for i, c in enumerate(todo):
                item = data.get(f"statement_{i + 1}") if isinstance(data, dict) else None
                verdict = item.get("verdict") if isinstance(item, dict) else None
                if verdict not in ("yes", "no"):
                    self._cache[(c, ev_key)] = Verdict(
                        c, False, 0.0, "", err or f"no verdict for statement_{i + 1}"
                    )
                    continue
                reason = str(item.get("reason", ""))[:500]
                ok = verdict == "yes"
                self._cache[(c, ev_key)] = Verdict(c, ok, 1.0 if ok else 0.0, reason)
        return [self._cache[(c, ev_key)] for c in claims]

    def claims(self, answer: str, question: str = "") -> list[str]:
        """RAGAS step 1: statements from the answer; falls back to its sentences."""
        fallback = super().claims(answer, question)
        if not self.extract_claims or not fallback:
            return fallback
        user = f"Question: {question}\nAnswer: {strip_citations(answer)}"
        try:
            data = self._chat(_CLAIMS_SYSTEM, user, _CLAIMS_SCHEMA, "statements", max_tokens=400)
            stmts = [str(s).strip() for s in data.get("statements", []) if isinstance(s, str)]
        except Exception:  # noqa: BLE001
            self.errors += 1
            return fallback
        stmts = [s for s in stmts if _has_content(s)][: 3 * len(fallback) + 5]
        return stmts or fallback


def make_judge(kind: str = "offline", *, client: Any = None, model: str | None = None) -> Judge:
    """Build a judge by name; the llm judge needs an openai client and a model name."""
    if kind == "offline":
        return OfflineJudge()
    if kind == "llm":
        if client is None or not model:
            raise ValueError("the llm judge needs an LLM: pass --llm (endpoint) and a model")
        return LLMJudge(client, model)
    raise ValueError(f"unknown judge {kind!r} (expected 'offline' or 'llm')")
