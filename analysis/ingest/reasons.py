"""Why segmentation kept a line out of an article body: one list for segmentation, tables and figures."""

from __future__ import annotations

from enum import StrEnum


class RemovalReason(StrEnum):
    """The reason recorded with every removed line, in the order tables and figures show them.

    A ``StrEnum``, so a reason is written to CSV and JSON as its plain value ("caption").
    """

    CAPTION = "caption"
    BYLINE = "byline"
    DATE = "date"
    TAGS = "tags"
    CHROME = "chrome"
    NAVIGATION = "navigation"
    COMMENT = "comment"
    RELATED_LINK = "related link"
    NOT_AN_ARTICLE = "not an article"
