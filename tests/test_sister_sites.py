"""The sister sites' spiders name an output dir of their own (issue 22): by default
output/<name>, before any check or lock, so a plain `scrapy crawl jscsto` never writes into the
CSTO site's output dir; an explicit CSTOCRAWL_OUTPUT_DIR wins."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.settings import Settings

import cstocrawl.settings as project
from cstocrawl.runs.preflight import prepare_run
from cstocrawl.runs.run import output_dir
from cstocrawl.spiders.news import Arguments, JscstoSpider, NewsSpider


def settings(**cmdline: str) -> Settings:
    configured = Settings()
    configured.setmodule(project, priority="project")
    for name, value in cmdline.items():
        configured.set(name, value, priority="cmdline")
    return configured


def test_a_sister_spider_runs_in_its_own_output_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    configured = settings()
    lock, parsed = prepare_run(configured, "jscsto", {"lang": "ru"}, "test")
    lock.close()
    assert output_dir(configured) == Path("output/jscsto")
    assert (tmp_path / "output" / "jscsto" / "cron.lock").exists()
    assert parsed == Arguments(lang="ru", portal="jscsto")


def test_an_explicit_output_dir_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    configured = settings(CSTOCRAWL_OUTPUT_DIR=str(tmp_path / "js"))
    prepare_run(configured, "jscsto", {}, "test")[0].close()
    assert output_dir(configured) == tmp_path / "js"
    assert not (tmp_path / "output").exists()


def test_the_sections_argument_names_the_sites_own_sections() -> None:
    assert JscstoSpider.check_arguments({"sections": "news"}).sections == frozenset({"news"})
    with pytest.raises(ValueError, match=r"unknown section news_odkb; known: news$"):
        JscstoSpider.check_arguments({"sections": "news_odkb"})
    with pytest.raises(ValueError, match="unknown section news;"):
        NewsSpider.check_arguments({"sections": "news"})
