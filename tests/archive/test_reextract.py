"""Which spider a re-extraction replays: the one its WARC files name, or `--spider`; one line and
exit 64 when that is ambiguous or unknown, before any run is made."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.utils.conf import build_component_list
from scrapy.utils.project import get_project_settings
from warcio.warcwriter import WARCWriter

from cstocrawl.archive.reextract import (
    NOT_REPLAYED,
    Refused,
    chosen,
    main,
    read_infos,
    replay_settings,
    replayable,
    spider_of,
)
from cstocrawl.spiders.news import JscstoSpider


def warc(path: Path, spider: str | None) -> Path:
    """A WARC file holding only the warcinfo record a crawl by `spider` writes first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    info = {"cstocrawl-run-id": path.name.split(".")[0], "cstocrawl-lang": "en"}
    if spider is not None:
        info["cstocrawl-spider"] = spider
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, info))
    return path


@pytest.mark.parametrize(
    ("named", "given", "spider"),
    [
        (["jscsto", "jscsto"], None, "jscsto"),
        (["ksopn"], "ksopn", "ksopn"),
        ([None], "news", "news"),
    ],
)
def test_the_spider_is_the_one_the_warc_files_name_or_the_one_given(
    named: list[str | None], given: str | None, spider: str
) -> None:
    infos = [{"cstocrawl-spider": name} if name else {} for name in named]
    assert spider_of(infos, given) == spider


@pytest.mark.parametrize(
    ("named", "given", "line"),
    [
        (["news", "jscsto"], None, "the WARC files are of several spiders (jscsto, news): name "
         "one site's files"),
        (["jscsto"], "news", "--spider news, but the WARC files are of jscsto"),
        ([None], None, "the WARC files name no spider: give --spider NAME"),
    ],
)  # fmt: skip
def test_an_ambiguous_spider_is_refused(
    named: list[str | None], given: str | None, line: str
) -> None:
    infos = [{"cstocrawl-spider": name} if name else {} for name in named]
    with pytest.raises(Refused) as refused:
        spider_of(infos, given)
    assert str(refused.value) == line


def test_only_the_projects_replayable_spiders_are_known() -> None:
    settings = get_project_settings()
    assert replayable(settings, "jscsto") is JscstoSpider
    with pytest.raises(Refused) as refused:
        replayable(settings, "blog")
    assert str(refused.value) == "spider 'blog' cannot be re-extracted; known: jscsto, ksopn, news"


def test_mixed_sites_warc_files_are_one_line_and_exit_64_and_no_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warc(tmp_path / "warc" / "run1.warc.gz", "news")
    warc(tmp_path / "warc" / "run2.warc.gz", "ksopn")
    assert main(["-s", f"CSTOCRAWL_OUTPUT_DIR={tmp_path}"]) == 64
    assert capsys.readouterr().err == (
        "cstocrawl.archive.reextract: the WARC files are of several spiders (ksopn, news): "
        "name one site's files (exit 64)\n"
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["warc"]


def test_an_unknown_spider_given_is_one_line_and_exit_64(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    named = warc(tmp_path / "run1.warc.gz", None)
    assert main([str(named), "--spider", "blog", "-s", f"CSTOCRAWL_OUTPUT_DIR={tmp_path}"]) == 64
    assert capsys.readouterr().err == (
        "cstocrawl.archive.reextract: spider 'blog' cannot be re-extracted; "
        "known: jscsto, ksopn, news (exit 64)\n"
    )


def test_named_warc_files_are_re_extracted_into_their_spiders_output_dir(tmp_path: Path) -> None:
    """No -s CSTOCRAWL_OUTPUT_DIR: a sister site's files go to its dir (output/jscsto), as its
    crawls do, never into the CSTO site's output/."""
    named = warc(tmp_path / "run1.warc.gz", "jscsto")
    settings = get_project_settings()
    assert chosen(settings, None, [named]) == ("jscsto", [named], read_infos([named]))
    assert settings.get("CSTOCRAWL_OUTPUT_DIR") == "output/jscsto"
    assert settings.getpriority("CSTOCRAWL_OUTPUT_DIR") == SETTINGS_PRIORITIES["cmdline"]


def test_a_replay_runs_the_downloader_middlewares_that_read_the_archived_bytes_only(
    tmp_path: Path,
) -> None:
    """Those that decide which requests are made, or read a response, stay; those that only
    dress a request for a server, or retry one, are off (no server answers a replay)."""
    settings = get_project_settings()
    replay_settings(settings, [warc(tmp_path / "run1.warc.gz", "news")])
    running = build_component_list(settings.getwithbase("DOWNLOADER_MIDDLEWARES"))
    assert [path.rsplit(".", 1)[-1] for path in running] == [
        "OffsiteMiddleware",
        "RobotsTxtMiddleware",
        "MetaRefreshMiddleware",
        "HttpCompressionMiddleware",
        "RedirectMiddleware",
        "DownloaderStats",
        "HttpCacheMiddleware",  # off unless HTTPCACHE_ENABLED
        "WarcCapture",  # off: CSTOCRAWL_WARC
    ]
    assert set(NOT_REPLAYED) <= set(get_project_settings().getwithbase("DOWNLOADER_MIDDLEWARES"))
