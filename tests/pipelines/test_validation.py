"""The article schema and the validation pipeline: good items pass, each broken field is rejected."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import fastjsonschema
import pytest
from itemadapter import ItemAdapter
from jsonschema import Draft202012Validator
from scrapy.exceptions import DropItem
from twisted.python.failure import Failure

from cstocrawl.items import Article, Attachment
from cstocrawl.pipelines.validation import ValidationPipeline, _compiled, validation_error
from cstocrawl.schema import article_schema
from tests.crawling import project_crawler

SHA = "ab" * 32
GOOD: dict[str, Any] = {
    "url": "https://en.odkb-csto.org/documents/statements/zayavlenie-ministrov-inostrannykh-del%20ODKB/",
    "lang": "en",
    "section": "statements",
    "section_title": "Statements",
    "title": "STATEMENT of the Ministers for Foreign Affairs",
    "published": "2022-06-10",
    "summary": "We, the member states of the CSTO, express our deep concern.",
    "text": "We, the member states of the CSTO, express our deep concern.\n\nSecond paragraph.",
    "attachments": [
        {
            "url": "https://en.odkb-csto.org/upload/iblock/393/39357fa0b754c4c5529e0bcf4d007437.docx",
            "name": "39357fa0b754c4c5529e0bcf4d007437.docx",
            "path": f"files/by-sha256/ab/{SHA}.docx",
            "sha256": SHA,
            "size": 12034,
            "media_type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "status": "stored",
            "text": "STATEMENT",
            "error": None,
        },
        {
            "url": "https://en.odkb-csto.org/upload/iblock/000/Annex%201.pdf",
            "name": "Annex 1.pdf",
            "path": None,
            "sha256": None,
            "size": None,
            "media_type": None,
            "status": "failed",
            "text": None,
            "error": "HTTP 404",
        },
    ],
    "images": ["https://en.odkb-csto.org/upload/iblock/1a2/DSC_4960.JPG"],
    "problems": [],
    "crawled_at": "2026-01-02T03:04:05Z",
    "first_seen": "2025-12-30T03:04:05Z",
    "last_changed": "2026-01-02T03:04:05Z",
    "change": "changed",
    "content_sha256": "0f" * 32,
    "aliases": [],
}


def broken(path: str, value: Any) -> dict[str, Any]:
    """GOOD with the field at `path` ("a/0/b") set to `value`, or deleted for `...`."""
    record = copy.deepcopy(GOOD)
    *parents, last = path.split("/")
    target: Any = record
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    if value is ...:
        del target[last]
    else:
        target[last] = value
    return record


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(article_schema())
    assert article_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_a_good_item_passes() -> None:
    assert validation_error(GOOD) is None
    nulls = broken("published", None) | {"title": None, "summary": None, "text": ""}
    nulls["problems"] = ["missing_title", "missing_date", "missing_body"]
    assert validation_error(nulls) is None


def test_the_extraction_problems_of_issue_17_pass() -> None:
    problems = [
        "body_disagrees_with_second_opinion: 80% of our 40 words are not in its 300",
        "body_cut_by_markup: 2 paragraphs of prose after its end, in link lists, from 'The'",
    ]
    assert validation_error(GOOD | {"problems": problems}) is None
    assert validation_error(GOOD | {"problems": ["body_cut_by_markup"]}) is not None


@pytest.mark.parametrize(
    ("path", "value", "error"),
    [
        (
            "url",
            "http://en.odkb-csto.org/news/x/",
            "url: 'http://en.odkb-csto.org/news/x/' does not match",
        ),
        ("url", "https://example.org/news/x/", "url: 'https://example.org/news/x/' does not match"),
        ("url", ..., "(item): 'url' is a required property"),
        ("lang", "de", "lang: 'de' is not one of ['en', 'ru']"),
        ("section", "", "section: '' does not match"),
        ("title", "", "title: '' should be non-empty"),
        ("published", "10.06.2022", "published: '10.06.2022' does not match"),
        ("text", None, "text: None is not of type 'string'"),
        ("summary", 3, "summary: 3 is not of type 'string', 'null'"),
        ("images", ["/upload/x.jpg"], "images/0: '/upload/x.jpg' does not match"),
        ("problems", ["bad_thing"], "problems/0: 'bad_thing' does not match"),
        ("crawled_at", "2026-01-02 03:04:05", "crawled_at: '2026-01-02 03:04:05' does not match"),
        ("content_sha256", "xyz", "content_sha256: 'xyz' does not match"),
        ("extra", 1, "(item): Additional properties are not allowed ('extra' was unexpected)"),
        (
            "attachments/0/path",
            "../../etc/passwd",
            "attachments/0/path: '../../etc/passwd' does not match",
        ),
        ("attachments/0/sha256", None, "attachments/0/sha256: None is not of type 'string'"),
        ("attachments/0/size", -1, "attachments/0/size: -1 is less than the minimum of 0"),
        ("attachments/0/status", "ok", "attachments/0/status: 'ok' is not one of"),
        ("attachments/0/error", ..., "attachments/0: 'error' is a required property"),
        ("attachments/1/error", None, "attachments/1/error: None is not of type 'string'"),
    ],
)
def test_each_broken_field_is_rejected(path: str, value: Any, error: str) -> None:
    found = validation_error(broken(path, value))
    assert found is not None and found.startswith(error), found
    with pytest.raises(fastjsonschema.JsonSchemaValueException):  # the fast check agrees
        _compiled()(broken(path, value))


def article(record: dict[str, Any]) -> Article:
    """The item the spider and the pipelines make of a dataset line."""
    attachments = [Attachment(**attachment) for attachment in record["attachments"]]
    return Article(**{**copy.deepcopy(record), "attachments": attachments})


def test_an_item_is_the_dataset_line_it_was_made_of() -> None:
    record = ItemAdapter(article(GOOD)).asdict()
    assert record == GOOD
    # Attachments keep the dataset's key order (url, name, then what the download added).
    assert json.dumps(record["attachments"]) == json.dumps(GOOD["attachments"])


def pipeline(tmp_path: Path) -> tuple[ValidationPipeline, Any]:
    crawler = project_crawler(tmp_path, CSTOCRAWL_RUN_ID="run7")
    return ValidationPipeline.from_crawler(crawler), crawler


def test_the_pipeline_passes_good_items_and_writes_no_rejects_file(tmp_path: Path) -> None:
    validation, crawler = pipeline(tmp_path)
    item = article(GOOD)
    assert validation.process_item(item) is item
    validation.close_spider()
    assert not (tmp_path / "news" / "run7.rejects.jsonl").exists()
    assert crawler.stats.get_value("cstocrawl/invalid") is None


def test_an_invalid_item_is_dropped_into_the_rejects_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    validation, crawler = pipeline(tmp_path)
    bad = broken("published", "10.06.2022")
    with pytest.raises(DropItem):
        validation.process_item(article(bad))
    validation.close_spider()
    lines = (tmp_path / "news" / "run7.rejects.jsonl").read_text(encoding="utf-8").splitlines()
    error = "published: '10.06.2022' does not match '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'"
    assert [json.loads(line) for line in lines] == [
        {"url": GOOD["url"], "error": error, "item": bad}
    ]
    assert crawler.stats.get_value("cstocrawl/invalid") == 1
    assert f"Invalid article {GOOD['url']}: {error}" in caplog.text


def test_an_item_a_pipeline_failed_on_goes_to_the_rejects_file_and_counts_as_failed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    validation, crawler = pipeline(tmp_path)
    bad = broken("attachments/0/text", "lone \ud800")  # what made the writer raise
    try:
        json.dumps(bad, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:
        failure = Failure(error)
    validation.item_error(article(bad), failure)
    validation.close_spider()
    [line] = (tmp_path / "news" / "run7.rejects.jsonl").read_text(encoding="utf-8").splitlines()
    reject = json.loads(line)  # valid JSON, the surrogate escaped
    assert reject["url"] == GOOD["url"]
    assert reject["error"].startswith("UnicodeEncodeError: 'utf-8' codec can't encode")
    assert reject["item"]["attachments"][0]["text"] == "lone \ud800"
    assert crawler.stats.get_value("cstocrawl/failed/item") == 1
    assert f"Failed item {GOOD['url']}: UnicodeEncodeError" in caplog.text


def test_the_pipeline_sanitises_text_added_after_cleaning(tmp_path: Path) -> None:
    validation, crawler = pipeline(tmp_path)
    item = article(broken("attachments/0/text", "Annex \ud800\x0c text"))
    assert validation.process_item(item) is item
    assert item.attachments[0].text == "Annex \ufffd text"
    assert crawler.stats.get_value("cstocrawl/sanitised/characters") == 2
