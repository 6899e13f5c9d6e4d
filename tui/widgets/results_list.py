"""The list of search results (or of the newest articles)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.content import Content

from index.models import Hit, Page
from tui.widgets._render import MATCH_STYLE, cut_point, highlight, safe, short_date, text
from tui.widgets.paged_list import PagedList

__all__ = ["ResultsList"]

#: Snippets longer than this are cut (the list shows about two lines of one).
SNIPPET_CHARS = 220
#: The style rules a prompt's height depends on (see ``Content.get_height``).
HEIGHT_RULES = ("line_pad", "text_overflow", "text_wrap")


class ResultsList(PagedList[Hit]):
    """Results, each as its title, date and source, and a snippet with the matches highlighted.

    Pages are appended lazily: when the highlight nears the end of what is
    loaded and more results exist, :class:`PagedList.NeedMore` is posted.
    Selecting a result bubbles on as :class:`OptionList.OptionSelected` (the
    screen opens it).

    Attributes:
        total: How many results the query has (at least as many as loaded).
        exact: Whether ``total`` is exact rather than an estimate.
        query: The query of the results listed.
    """

    PREFETCH: ClassVar[int] = 5

    @dataclass(frozen=True, eq=False)
    class Fit:
        """The width and style rules the list measures a result's height with.

        Taken on the UI thread, so that a worker can measure prompts ahead: the
        height is cached on each :class:`~textual.content.Content`, and the list
        then finds it instead of wrapping every result on the UI thread.

        Attributes:
            width: The cells a prompt is wrapped to.
            rules: The style rules the height depends on, as the list's styles give them.
        """

        width: int
        rules: dict[str, object]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        """Create an empty results list.

        Args:
            id: The widget id.
            classes: CSS classes.
        """
        super().__init__(id=id, classes=classes)
        self.total = 0
        self.exact = True
        self.query = ""

    @property
    def hits(self) -> list[Hit]:
        """The results loaded, best first."""
        return self.items

    @staticmethod
    def prompt(hit: Hit) -> Content:
        """Build the text of one result.

        Args:
            hit: The result.

        Returns:
            Three lines: title, date · source, snippet; matches highlighted.
        """
        title = text(hit.title or "(untitled)", "bold")
        title = highlight(title, hit.title_highlights, MATCH_STYLE)
        meta = " · ".join(part for part in (short_date(hit.date), safe(hit.source)) if part)
        lines = [title, text(meta, "dim")]
        snippet = safe(hit.snippet).replace("\n", " ")
        if snippet:
            cut = cut_point(snippet, SNIPPET_CHARS, hit.highlights)
            body = highlight(text(snippet[:cut].rstrip()), hit.highlights, MATCH_STYLE)
            if cut < len(snippet):
                body = body + Content(" …")
            lines.append(body)
        return Content("\n").join(lines)

    def fit(self) -> ResultsList.Fit | None:
        """The width and rules prompts are measured with now (UI thread only).

        Returns:
            The fit, or None before the list has a size.
        """
        region = self.scrollable_content_region
        if not region:
            return None
        padding = self.get_component_styles("option-list--option").padding
        width = region.width - self._get_left_gutter_width() - padding.width
        styles = self.styles
        return self.Fit(width, {name: styles.get(name) for name in HEIGHT_RULES if name in styles})

    @classmethod
    def prompts(cls, hits: list[Hit], fit: ResultsList.Fit | None) -> list[Content]:
        """Build the prompts of some results, measured for ``fit`` (safe in a worker thread).

        Args:
            hits: The results.
            fit: What :meth:`fit` returned on the UI thread (None: not measured).

        Returns:
            One prompt per result, its height cached for ``fit``.
        """
        prompts = [cls.prompt(hit) for hit in hits]
        if fit is not None and fit.width > 0:
            for prompt in prompts:
                prompt.get_height(fit.rules, fit.width)  # type: ignore[arg-type]
        return prompts

    def set_page(
        self,
        page: Page,
        *,
        append: bool = False,
        highlighted: int | None = None,
        prompts: list[Content] | None = None,
    ) -> None:
        """Show a page of results.

        Args:
            page: The page.
            append: Add it after the results shown (a further page of the same query).
            highlighted: The result to highlight (default: keep, or the first).
            prompts: The page's prompts built ahead by :meth:`prompts` (default: built here).
        """
        if prompts is None or len(prompts) != len(page.hits):
            prompts = self.prompts(page.hits, None)
        loaded = (len(self.items) if append else 0) + len(page.hits)
        self.query = page.query
        self.total = max(page.total, loaded)
        self.exact = getattr(page, "exact", True)
        self.fill(
            page.hits, prompts, append=append, done=loaded >= self.total, highlighted=highlighted
        )
