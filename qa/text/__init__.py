"""The text rules every part of the engine shares: words, stopwords, stems, names, numbers,
sentence spans and `[n]` citation markers.

One toolkit, so that the answerer, the keyword index, chat, citation checks and the UI agree
on what a word, a name, a sentence and a marker are. Where two parts need different rules on
purpose, each rule is a named function here (e.g. `index_terms` is Unicode and builds the
keyword index; `words` is the answerer's tokenizer), never a private copy elsewhere.

One module per job; import from `qa.text`, which re-exports them all:
- `tokens`: words, stopwords, stems, acronyms of capitalised runs
- `propernames`: finding names, and whether a text mentions or states one
- `numbers`: numbers as written and when two are the same
- `spans`: sentence spans
- `markers`: reading and writing `[n]` citation markers

The eval judges (evals/judges.py, evals/metrics.py) keep their own independent copies on
purpose: a judge must not share the code it judges.
"""

from qa.text.markers import (
    MARKER_RE,
    Marker,
    cited_numbers,
    parse_markers,
    render_marker,
    strip_markers,
    sub_markers,
)
from qa.text.numbers import Number, numbers_in, same_number, states_number
from qa.text.propernames import (
    POST_NOMINALS,
    fold,
    full_name,
    name_in,
    name_stated,
    name_words,
    names,
    same_name_forms,
)
from qa.text.spans import sentences
from qa.text.tokens import (
    NAME_PARTICLES,
    NEGATORS,
    QUESTION_WORDS,
    STOPWORDS,
    UPPER,
    bare,
    denies,
    index_terms,
    initials,
    is_stopword,
    same_verb,
    stem,
    stems,
    word_list,
    word_starts,
    words,
)

__all__ = [
    "MARKER_RE",
    "NAME_PARTICLES",
    "NEGATORS",
    "QUESTION_WORDS",
    "STOPWORDS",
    "UPPER",
    "Marker",
    "Number",
    "bare",
    "cited_numbers",
    "denies",
    "fold",
    "full_name",
    "index_terms",
    "initials",
    "is_stopword",
    "name_in",
    "name_stated",
    "name_words",
    "names",
    "same_name_forms",
    "POST_NOMINALS",
    "numbers_in",
    "parse_markers",
    "render_marker",
    "same_number",
    "sentences",
    "states_number",
    "same_verb",
    "stem",
    "stems",
    "strip_markers",
    "sub_markers",
    "word_list",
    "word_starts",
    "words",
]
