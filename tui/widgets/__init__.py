"""The reader's widgets, one class per module."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from tui.widgets.article_body import ArticleBody
    from tui.widgets.article_pane import ArticlePane
    from tui.widgets.cooccurrence_list import CooccurrenceList
    from tui.widgets.entity_legend import EntityLegend
    from tui.widgets.entity_list import EntityList
    from tui.widgets.facet_list import FacetList
    from tui.widgets.facets_panel import FacetsPanel
    from tui.widgets.find_bar import FindBar
    from tui.widgets.mention_list import MentionList
    from tui.widgets.mentions_panel import MentionsPanel
    from tui.widgets.results_list import ResultsList
    from tui.widgets.results_pane import ResultsPane
    from tui.widgets.search_bar import SearchBar
    from tui.widgets.vim_option_list import VimOptionList
    from tui.widgets.wrapped_document import WrappedDocument

#: Where each name lives: imported on first use, so that importing one module
#: of the package does not import them all (the reader starts faster).
_MODULES: dict[str, str] = {
    "ArticleBody": "tui.widgets.article_body",
    "ArticlePane": "tui.widgets.article_pane",
    "CooccurrenceList": "tui.widgets.cooccurrence_list",
    "EntityLegend": "tui.widgets.entity_legend",
    "EntityList": "tui.widgets.entity_list",
    "FacetList": "tui.widgets.facet_list",
    "FacetsPanel": "tui.widgets.facets_panel",
    "FindBar": "tui.widgets.find_bar",
    "MentionList": "tui.widgets.mention_list",
    "MentionsPanel": "tui.widgets.mentions_panel",
    "ResultsList": "tui.widgets.results_list",
    "ResultsPane": "tui.widgets.results_pane",
    "SearchBar": "tui.widgets.search_bar",
    "VimOptionList": "tui.widgets.vim_option_list",
    "WrappedDocument": "tui.widgets.wrapped_document",
}

__all__ = [
    "ArticleBody",
    "ArticlePane",
    "CooccurrenceList",
    "EntityLegend",
    "EntityList",
    "FacetList",
    "FacetsPanel",
    "FindBar",
    "MentionList",
    "MentionsPanel",
    "ResultsList",
    "ResultsPane",
    "SearchBar",
    "VimOptionList",
    "WrappedDocument",
]


def __getattr__(name: str) -> Any:
    """Import a re-exported class on first use (PEP 562)."""
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
