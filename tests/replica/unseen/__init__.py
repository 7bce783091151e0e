"""Held-out markups of the replica (UNSEEN_VARIANTS): re-skins the extraction was not tuned on.

Renderer(lang, name, seed) builds them through RENDERERS; the content and ground truth are the
same as for VARIANTS, only the HTML around it differs. Each module's docstring says what it tests.
"""

from __future__ import annotations

from ..markup import UNSEEN_VARIANTS, Renderer
from .minimal import MinimalRenderer
from .modern import ModernRenderer
from .portal import PortalRenderer
from .table import TableRenderer

RENDERERS: dict[str, type[Renderer]] = {
    "table": TableRenderer,
    "modern": ModernRenderer,
    "portal": PortalRenderer,
    "minimal": MinimalRenderer,
}
assert tuple(RENDERERS) == UNSEEN_VARIANTS, "register every unseen markup in both places"

__all__ = ["RENDERERS", "MinimalRenderer", "ModernRenderer", "PortalRenderer", "TableRenderer"]
