"""Body phrases, checked against the stored text instead of an index of word pairs.

The body is indexed without positions (they make every common word about
five times slower to read), and an index of adjacent word pairs, which
would make a phrase one term, would be most of the index and of the
writer's time. So a body phrase is searched as its words ANDed, and the
candidates are checked against their stored text: best-ranked first and
only until a page is full when the phrase is required by the whole query
(:func:`index.search.accel.fastscore.top`), or every candidate, up to
:data:`CHECK_BUDGET` of them, when it sits under an OR or a NOT.

A phrase holds when its analysed words (lower-cased, accents folded, stop
words and one-letter words dropped, not stemmed) follow each other in the
body's analysed words: ``"secretary of state"`` matches "Secretary of
State" and "secretary, state", as the index sees them. Words in quotes keep
their form, where a plain word finds every form of its stem: the index holds
stems, which find the candidates, and the check reads the words as written.
A single word in quotes (``"bushfires"``) is an
:class:`~index.search.query.Exact`, checked the same way.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from index.search.snippets import accent_variants, fold, words_pattern

__all__ = [
    "CHECK_BUDGET",
    "Checks",
    "Required",
    "body_phrase",
    "contains_phrase",
    "phrase_words",
    "title_holds",
    "words_anded",
]

#: At most this many candidates are checked in one search for the phrases
#: under an OR or NOT (past it they count as their words ANDed), and as many
#: again for the phrases the whole query requires (past it the total is an
#: estimate and the results stop; four times the page asked for, if more).
#: It bounds the slowest phrase, two common words that are rarely adjacent:
#: each check reads a body from the store (about 0.1 ms with the prefilter).
CHECK_BUDGET = 1000

#: Bodies read from the store at a time (the first batch: the next ones double).
_BATCH = 32
_BATCH_MAX = 512

#: Characters analysed after a first word to read the words that follow it
#: (widened when they hold too few words).
_WINDOW = 160


def _words_of(text: str) -> list[str]:
    from index.search.schema import surface_terms

    return surface_terms(text)


@dataclass(frozen=True, slots=True)
class _Prefilter:
    """Regexes that every body holding a phrase matches: a cheap first check.

    Between two words they allow only what the analyser drops (separators,
    stop words, one-letter tokens, and for safety up to three letters), so
    they are looser than the analyser, never stricter: a body they do not
    match cannot hold the phrase, and one they match is checked exactly.

    Attributes:
        plain: The words as the index holds them, on the lower-cased body,
            with a literal at its start (the regex engine skips from one
            occurrence of the first word to the next).
        accented: Every letter in any of its accented forms, for a body
            that holds one of those forms (``accents`` finds them).
        accents: The accented forms of the phrase's letters.
    """

    plain: re.Pattern[str]
    accented: re.Pattern[str]
    accents: re.Pattern[str] | None

    def admits(self, body: str) -> bool:
        """Whether ``body`` may hold the phrase."""
        low = body.lower()
        if self.plain.search(low) is not None:
            return True
        return (
            self.accents is not None
            and self.accents.search(low) is not None
            and self.accented.search(body) is not None
        )


@lru_cache(maxsize=256)
def _prefilter(words: tuple[str, ...]) -> _Prefilter | None:
    """The :class:`_Prefilter` of a phrase (None where none can be sure).

    A word holding what a ligature folds to (``ae`` from ``æ``) gets none:
    its written forms differ in length.
    """
    from index.search.schema import stop_words
    from index.search.snippets import accent_table

    if any(
        isinstance(folded, str) and len(folded) > 1 and folded in word
        for folded in accent_table().values()
        for word in words
    ):
        return None
    variants = accent_variants()
    stops = "|".join(sorted(map(re.escape, stop_words()), key=len, reverse=True))
    gap = rf"[^\w*]+(?:(?:{stops}|[\w*]{{1,3}})(?![\w*])[^\w*]*)*?"
    end = r"(?![\w*])"

    def letter(ch: str) -> str:
        return f"[{re.escape(ch + variants[ch])}]" if ch in variants else re.escape(ch)

    first = re.escape(words[0])
    plain = rf"{first}{end}(?<![\w*]{first})" + "".join(
        gap + re.escape(word) + end for word in words[1:]
    )
    accented = r"(?<![\w*])" + gap.join("".join(map(letter, word)) + end for word in words)
    forms = {v for ch in set("".join(words)) for v in variants.get(ch, "") if not v.isascii()}
    accents = re.compile(f"[{re.escape(''.join(sorted(forms)))}]") if forms else None
    return _Prefilter(re.compile(plain), re.compile(accented, re.IGNORECASE), accents)


def contains_phrase(body: str, words: tuple[str, ...]) -> bool:
    """Tell whether a body holds a phrase's analysed words one after the other.

    Args:
        body: The article text.
        words: The phrase's words as the index holds them (two or more).

    Returns:
        True when the words follow each other in the body's analysed words.
    """
    if not words:
        return True
    prefilter = _prefilter(words) if len(words) > 1 else None
    if prefilter is not None and not prefilter.admits(body):
        return False
    return _holds(body, words)


def _holds(body: str, words: tuple[str, ...]) -> bool:
    """The exact check of :func:`contains_phrase`: the words after each first word."""
    first, rest = words[0], list(words[1:])
    for match in words_pattern(frozenset((first,))).finditer(body):
        if fold(match.group()) != first:
            continue
        if not rest:
            return True
        start, size = match.end(), _WINDOW
        while True:
            end = start + size
            after = _words_of(body[start:end])
            # Enough words read, and the ones compared cannot be cut at the edge.
            if len(after) > len(rest) or end >= len(body):
                if after[: len(rest)] == rest:
                    return True
                break
            size *= 4
    return False


def title_holds(title: str, words: tuple[str, ...]) -> bool:
    """Tell whether a title holds a phrase: the whole title analysed (titles are short).

    Exactly the index's view, where :func:`contains_phrase`'s regex misses a
    first word whose lower case is longer (Turkish "İ").
    """
    seen = _words_of(title)
    size = len(words)
    return any(tuple(seen[i : i + size]) == words for i in range(len(seen) - size + 1))


def phrase_words(q) -> tuple[str, ...] | None:
    """A body phrase's words, or None when ``q`` is not a body phrase to check."""
    from whoosh import query as wq

    from index.search.query import Exact

    if (
        isinstance(q, wq.Phrase)
        and q.fieldname == "body"
        and (len(q.words) >= 2 or type(q) is Exact)
        and q.slop <= 1
    ):
        return tuple(q.words)
    return None


def stems_of(words) -> list[str]:
    """The index terms of a phrase's words (their stems)."""
    from index.search.schema import stem

    return [stem(word) for word in words]


def words_anded(q):
    """A phrase as its words' stems ANDed, with its boost (neither form nor nearness checked)."""
    from whoosh import query as wq

    return wq.And([wq.Term(q.fieldname, word) for word in stems_of(q.words)], boost=q.boost)


def body_phrase(q):
    """The body phrase of a phrase as the parser gives it, or None.

    The parser turns ``"a b"`` into ``title:"a b" OR body:"a b"``: this
    returns the body phrase of such an OR (the same words, no slop, in both),
    or ``q`` itself when it is a body phrase, so that a search can check it
    lazily.
    """
    from whoosh import query as wq

    if phrase_words(q) is not None:
        return q
    if type(q) is wq.Or and not q.minmatch and len(q.subqueries) == 2:
        body = [sub for sub in q.subqueries if phrase_words(sub) is not None]
        others = [sub for sub in q.subqueries if phrase_words(sub) is None]
        title = others[0] if len(body) == 1 else None
        if (
            isinstance(title, wq.Phrase)
            and title.fieldname == "title"
            and tuple(title.words) == tuple(body[0].words)
            and title.slop <= 1
        ):
            return body[0]
    return None


@dataclass(slots=True)
class Required:
    """A phrase the whole query requires, as :meth:`Checks.best` checks it.

    Attributes:
        words: The phrase's words.
        body: Per candidate, the score its body words add (None: the phrase
            is in the body only, and a candidate without it is dropped).
        title: Per candidate, the score its title words add (with ``body``).
        in_title: Per candidate, whether its title holds every word.
    """

    words: tuple[str, ...]
    body: np.ndarray | None = None
    title: np.ndarray | None = None
    in_title: np.ndarray | None = None


class Checks:
    """Checks one search's body phrases against the stored text of their candidates.

    Args:
        texts: Gives the stored title and body of documents (by Whoosh document number).
        budget: At most this many bodies are read for the phrases under an OR
            or NOT, and as many for the required ones (default
            :data:`CHECK_BUDGET`).
    """

    def __init__(
        self, texts: Callable[[list[int]], Sequence[tuple[str, str]]], budget: int | None = None
    ) -> None:
        self.texts = texts
        self.budget = CHECK_BUDGET if budget is None else budget
        #: ``id()`` of the phrases checked after ranking (body ones not by :meth:`keep`,
        #: title ones not by Whoosh's position matcher).
        self.deferred: set[int] = set()
        #: ``id()`` of the query nodes whose results are kept (in ``memo``).
        self.remember: set[int] = set()
        self.memo: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        #: How many bodies :meth:`keep` read (its budget).
        self.checked = 0
        #: False once a phrase was taken as its words ANDed, past the budget.
        self.exact = True

    def defer(self, query) -> list[tuple[object, object | None, float]]:
        """Mark the body phrases the whole query requires, to check after ranking.

        Args:
            query: The whole (normalised) query.

        Returns:
            Per required phrase: the body phrase, the title phrase ORed with
            it or None, and the boost their scores carry above their own.
        """
        from whoosh import query as wq

        whole = type(query) is wq.And
        conjuncts = list(query.subqueries) if whole else [query]
        groups: list[tuple[object, object | None, float]] = []
        for conjunct in conjuncts:
            phrase = body_phrase(conjunct)
            if phrase is None:
                continue
            self.deferred.add(id(phrase))
            self.remember.add(id(phrase))
            title, boost = None, query.boost if whole else 1.0
            if phrase is not conjunct:
                title = next(sub for sub in conjunct.subqueries if sub is not phrase)
                self.deferred.add(id(title))  # its words ANDed too, its title checked
                self.remember.add(id(title))
                boost *= conjunct.boost
            groups.append((phrase, title, boost))
        return groups

    def keep(self, docs: np.ndarray, words: tuple[str, ...], in_title: bool = False) -> np.ndarray:
        """Which of a phrase's candidates hold it (past the budget: all of them).

        Args:
            docs: The documents holding every word of the phrase.
            words: The phrase's words.
            in_title: Check the title instead of the body.

        Returns:
            A boolean mask over ``docs``.
        """
        mask = np.ones(len(docs), bool)
        count = min(len(docs), max(0, self.budget - self.checked))
        if count < len(docs):
            self.exact = False
        for start in range(0, count, _BATCH_MAX):
            chunk = [int(d) for d in docs[start : min(count, start + _BATCH_MAX)]]
            for i, (title, body) in enumerate(self.texts(chunk)):
                if in_title:
                    mask[start + i] = title_holds(title, words)
                else:
                    mask[start + i] = contains_phrase(body, words)
        self.checked += count
        return mask

    def best(
        self, docs: np.ndarray, scores: np.ndarray, limit: int, required: list[Required]
    ) -> tuple[list[tuple[int, float]], int, bool]:
        """The best ``limit`` candidates that hold the required phrases, best first.

        Candidates are checked in rank order until ``limit`` hold (or the
        budget is spent); the total is exact only when every one was checked,
        else estimated from the share that held. A candidate that holds a
        phrase through its title only loses the score of the phrase's words in
        its body, and takes its place further down.

        Args:
            docs: The candidates (ascending).
            scores: Their scores, the body words of every phrase counted.
            limit: How many to return.
            required: The phrases the query requires, with their title matches.

        Returns:
            ``(docnum, score)`` pairs, the number of matches, and whether that
            number is exact.
        """
        total = len(docs)
        if total == 0:
            return [], 0, self.exact
        rounded = np.round(scores, 9)
        ranking = _Ranking(docs, rounded, max(4 * limit, 256))
        budget = max(self.budget, 4 * limit)
        chosen: list[tuple[int, float]] = []
        lower: list[tuple[float, int, float]] = []  # heap: candidates whose score fell
        accepted = examined = 0
        key: tuple[float, int] | None = None

        def take(doc: int, score: float) -> None:
            nonlocal accepted
            accepted += 1
            if len(chosen) < limit:
                chosen.append((doc, score))

        batch = _BATCH
        while examined < total and len(chosen) < max(limit, 1) and examined < budget:
            rows = ranking.rows(examined, min(batch, budget - examined))
            examined += len(rows)
            batch = min(batch * 2, _BATCH_MAX)
            texts = self.texts([int(docs[r]) for r in rows])
            for r, text in zip(rows, texts, strict=True):
                key = (-float(rounded[r]), int(docs[r]))
                while lower and lower[0][:2] < key:
                    _, doc, score = heapq.heappop(lower)
                    take(doc, score)
                score, holds = float(scores[r]), True
                title, body = text
                for need in required:
                    in_body = contains_phrase(body, need.words)
                    if need.in_title is None:  # no title half: the body must hold it
                        if not in_body:
                            holds = False
                            break
                        continue
                    in_title = bool(need.in_title[r]) and title_holds(title, need.words)
                    if not (in_body or in_title):
                        holds = False
                        break
                    # Only the field that holds the phrase scores (Whoosh: its words).
                    assert need.body is not None and need.title is not None
                    score -= (0.0 if in_body else float(need.body[r])) + (
                        0.0 if in_title else float(need.title[r])
                    )
                if not holds:
                    continue
                if round(score, 9) == rounded[r]:
                    take(int(docs[r]), score)
                else:
                    heapq.heappush(lower, (-round(score, 9), int(docs[r]), score))
        key = None  # every candidate read: whatever fell is taken
        if examined < total:
            (after,) = ranking.rows(examined, 1)
            key = (-float(rounded[after]), int(docs[after]))
        while lower and (key is None or lower[0][:2] < key):
            _, doc, score = heapq.heappop(lower)
            take(doc, score)
        if examined >= total:
            return chosen, accepted + len(lower), self.exact
        accepted += len(lower)
        estimate = accepted + round((total - examined) * accepted / examined)
        return chosen, max(estimate, accepted + 1), False


class _Ranking:
    """Candidates in rank order (score descending, then document number), sorted as needed.

    The first ``first`` are picked with a partition and sorted; the rest only
    when a search reads past them (a phrase most candidates hold fills a page
    from the first few dozen).
    """

    def __init__(self, docs: np.ndarray, rounded: np.ndarray, first: int) -> None:
        self.docs, self.rounded = docs, rounded
        if len(docs) <= first:
            self.order, self.rest = self._sorted(np.arange(len(docs))), None
        else:
            threshold = np.partition(rounded, len(docs) - first)[len(docs) - first]
            self.order = self._sorted(np.flatnonzero(rounded >= threshold))
            self.rest = np.flatnonzero(rounded < threshold)

    def _sorted(self, rows: np.ndarray) -> np.ndarray:
        return rows[np.lexsort((self.docs[rows], -self.rounded[rows]))]

    def rows(self, start: int, count: int) -> list[int]:
        """The candidates ranked ``start`` to ``start + count`` (fewer at the end)."""
        if start + count > len(self.order) and self.rest is not None:
            self.order = np.concatenate([self.order, self._sorted(self.rest)])
            self.rest = None
        return [int(r) for r in self.order[start : start + count]]
