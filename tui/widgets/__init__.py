"""The reader's widgets, one class per module."""

from __future__ import annotations

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
