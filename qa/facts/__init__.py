"""Fact-level support: does a cited article *state* what a generated statement says?

Topical similarity is not support: "the fund raised 40 million" is about the same thing as
"the fund raised 14 million", and a ferry strike in Orkney is about the same thing as one in
Shetland. So a statement is read for its specific content, and that content must be stated by
one sentence of the article or its immediate neighbours (the *window*):

- every name it gives (the surname for a full name, an acronym, "Britain" for "UK" and
  "Kenya" for "Kenyan" allowed: `qa.text.name_stated`); names the question already gives
  need only be somewhere in the article;
- every number ("thirty" = 30, "1.2 million" = 1,200,000, rounding as news rounds:
  `qa.text.states_number`), in the same currency, and next to the same noun when the window
  uses that noun ("300 staff" is not stated by "214 staff ... 300 passengers");
- the links between its facts: a cause ("because of ...") needs a window that gives a
  reason, and the figure it compares against ("61%, against 58% a year earlier") must be
  the one the window compares against;
- its polarity: a statement with "not" / "no" / "never" / "without" needs a negation in the
  window, and a word the window only ever negates ("not unanimous") cannot be asserted;
  nor may the window say the opposite word ("rejected" for "accepted");
- most of its other content words, weighted (`MIN_COVERAGE`); words the question already
  uses count half, so the answer's own content decides.

Similarity may rank windows (the caller passes the embedder's scores) but never makes an
unsupported statement supported. A statement with several citations is supported when the
union of the cited windows states its content and each cited article states some of it
(`check_cited`). Both answerers' citations and the uncited-statement attribution go through
this one check (qa.validate); the eval judge (evals/judges.py) keeps its own, independent
implementation on purpose.

The parts, one way (each imports only those above it):

- `vocab`: the word lists (negators, opposites, currencies, synonyms) and token helpers;
- `quantities`: numbers as quantities (noun, currency, context) and whether a window
  states one;
- `article`: an article's sentences, names, people and polarity, read once;
- `claim`: what a statement asserts (`read_claim`);
- `roles`: who fills which slot (a place attached to a noun, the subject of a verb);
- `links`: a cause the statement gives, and which figure a comparison is made against;
- `naming`: whether a window names a statement's name (the quoted sentence, a neighbour, a
  back-reference such as "the company" or "he");
- `window`: one window's check and an article's best window (`check`);
- `verdict`: several citations together (`check_cited`) and `answers_question`.
"""

from qa.facts.article import Article
from qa.facts.claim import QUESTION_WEIGHT, Claim, read_claim
from qa.facts.quantities import Quantity
from qa.facts.verdict import MIN_RELEVANCE, Cited, answers_question, check_cited, reports_anchor
from qa.facts.window import MIN_ANCHOR, MIN_COVERAGE, NEIGHBOURS, SHORTLIST, Verdict, check

__all__ = [
    "MIN_ANCHOR",
    "MIN_COVERAGE",
    "MIN_RELEVANCE",
    "NEIGHBOURS",
    "QUESTION_WEIGHT",
    "SHORTLIST",
    "Article",
    "Cited",
    "Claim",
    "Quantity",
    "Verdict",
    "answers_question",
    "reports_anchor",
    "check",
    "check_cited",
    "read_claim",
]
