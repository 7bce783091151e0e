"""A test-only pipeline standing in for a parser fix: every title as the fixed parser gives it."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter


class UpperTitles:
    """Upper-cases each title before the cleaning pipeline hashes it, as a changed rule would."""

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        if adapter.get("title"):
            adapter["title"] = adapter["title"].upper()
        return item
