"""Feed exporters: `-o articles.csv` with nested fields (attachments, images, problems, aliases)
as JSON in their cell, so a spreadsheet or pandas reads them back, never a Python repr."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exporters import CsvItemExporter
from scrapy.item import Field


def jsonable(value: Any) -> Any:
    """Items (an Attachment) as dicts, all the way down."""
    if ItemAdapter.is_item(value):
        return {name: jsonable(field) for name, field in ItemAdapter(value).items()}
    if isinstance(value, list | tuple):
        return [jsonable(element) for element in value]
    return value


class CsvJsonItemExporter(CsvItemExporter):
    """Scrapy's CSV exporter, a list or a nested item written as one JSON cell."""

    def serialize_field(self, field: Mapping[str, Any] | Field, name: str, value: Any) -> Any:
        if "serializer" not in field and (
            isinstance(value, list | tuple | dict) or ItemAdapter.is_item(value)
        ):
            return json.dumps(jsonable(value), ensure_ascii=False)
        return super().serialize_field(field, name, value)
