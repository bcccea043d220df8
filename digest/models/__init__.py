from .images import CreditedImage, CreditedRendition
from .pages import (
    ArticlePage,
    ArticlePageAuthor,
    ArticlePageRelatedArticle,
    ReportIndexPage,
    ReportPage,
)
from .taxonomy import Author, Topic

__all__ = [
    "ArticlePage",
    "ArticlePageAuthor",
    "ArticlePageRelatedArticle",
    "Author",
    "CreditedImage",
    "CreditedRendition",
    "ReportIndexPage",
    "ReportPage",
    "Topic",
]
