"""`-o x.csv`: every field in its own cell, nested ones as JSON that reads back as written."""

from __future__ import annotations

import csv
import io
import json

from itemadapter import ItemAdapter

from cstocrawl.items import Article, Attachment
from cstocrawl.store.exporters import CsvJsonItemExporter


def test_nested_fields_are_json_cells_not_python_reprs() -> None:
    article = Article(
        url="https://en.odkb-csto.org/documents/statements/a/",
        lang="en",
        section="statements",
        section_title="Statements",
        title="Statement, with a comma",
        published="2025-10-03",
        text="First.\n\nSecond.",
        attachments=[
            Attachment(
                "https://en.odkb-csto.org/upload/a.pdf", "a.pdf", status="failed", error="HTTP 404"
            )
        ],
        images=["https://en.odkb-csto.org/upload/1.jpg", "https://en.odkb-csto.org/upload/2.jpg"],
        problems=["missing_date"],
    )
    output = io.BytesIO()
    exporter = CsvJsonItemExporter(output)
    exporter.start_exporting()
    exporter.export_item(article)
    exporter.finish_exporting()
    [row] = list(csv.DictReader(io.StringIO(output.getvalue().decode("utf-8"))))
    written = ItemAdapter(article).asdict()
    assert list(row) == list(written)  # one column per field, in the dataset's order
    for name in ("attachments", "images", "problems", "aliases"):
        assert json.loads(row[name]) == written[name], name
    assert "Attachment(" not in output.getvalue().decode("utf-8")
    assert (row["title"], row["text"], row["summary"]) == (article.title, article.text, "")
