"""The reader's widgets, one class per module."""

from __future__ import annotations

from tui._lazy import lazy_classes

__all__ = [
    "ArticleBody",
    "ArticlePane",
    "CooccurrenceList",
    "EntityLegend",
    "EntityList",
    "FacetList",
    "FacetsPanel",
    "FindBar",
    "InOrderInput",
    "MentionList",
    "MentionsPanel",
    "PagedList",
    "ResultsList",
    "ResultsPane",
    "SearchBar",
]

__getattr__ = lazy_classes(__name__, __all__)
