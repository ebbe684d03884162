"""The parser against the replica: every page must parse to what the replica says it wrote.

The parser was built without reading the replica's templates, so these tests are the nearest thing
we have to the real site's unknown markup; the obfuscated pages (class names and ids renamed,
wrappers swapped) check that no field depends on a selector.
"""

from __future__ import annotations

import json
import subprocess
import sys
from itertools import product

import pytest

from crawler.article import NotAnArticle
from crawler.parsing import parse_article
from crawler.replica import Replica

GENERATIONS = ("2020", "2023", "2025")
ENCODINGS = ("utf-8", "windows-1258")


@pytest.fixture(scope="module")
def replica():
    return Replica(seed=1, articles=200)


def parsed(replica, article_id, **render):
    page = replica.render_article(article_id, **render)
    truth = replica.expected(article_id, generation=render.get("generation"))
    return parse_article(page.body, truth["url"], page.headers).to_dict(), truth


def assert_matches_truth(article: dict, truth: dict, context: str):
    wrong = {key: (expected, article.get(key)) for key, expected in truth.items() if article.get(key) != expected}
    assert not wrong, f"{context}: fields differ (expected, got): {wrong}"


def test_seed_article_in_its_2020_shape(replica):
    page = replica.render_article(Replica.SEED_ARTICLE_ID, generation="2020")
    assert "Ðảng".encode() in page.body or "Ðảng".encode("cp1258") in page.body  # the trap is there
    article, _ = parsed(replica, Replica.SEED_ARTICLE_ID, generation="2020")
    assert article["title"] == "Đổi mới sáng tạo, xây dựng Đảng bộ trong sạch vững mạnh"
    assert article["title"][0] == "\u0110"
    assert article["category"] == "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh"
    assert article["published_at"] == "2020-08-17T08:33:00+07:00"
    assert article["view_count"] == 5717
    assert article["authors"] == ["Lỳ Lỳ Xá"]
    assert article["author_role"] == "Tỉnh ủy viên, Bí thư Đảng ủy Khối Cơ quan và Doanh nghiệp tỉnh"
    assert article["photo_credits"] == ["Minh Thùy"]
    assert article["sapo"].startswith("Đổi mới phương thức lãnh đạo")
    body = article["body_text"]
    assert body.startswith("Đảng ủy Khối tổ chức triển khai")
    assert body.endswith("đưa Điện Biên phát triển nhanh và bền vững.")
    for chrome in ("Lượt xem", "In bài viết", "Bình luận", "Tin khác", "Lỳ Lỳ Xá", "Ảnh:", "ĐBP -", "Ð"):
        assert chrome not in body, chrome


@pytest.mark.parametrize("generation,today", [("2020", False), ("2023", False), ("2025", False), ("2025", True)])
def test_seed_article_in_every_generation(generation, today):
    """The one real article, in each generation's markup and in today's, parses to its known fields."""
    site = Replica(seed=1, articles=50, today=today)
    page = site.render_article(Replica.SEED_ARTICLE_ID, generation=generation)
    truth = site.expected(Replica.SEED_ARTICLE_ID, generation=generation)
    article = parse_article(page.body, truth["url"], page.headers).to_dict()
    assert_matches_truth(article, truth, f"seed article in {generation}{' (today)' if today else ''}")
    assert article["title"] == "Đổi mới sáng tạo, xây dựng Đảng bộ trong sạch vững mạnh"
    assert article["authors"] == ["Lỳ Lỳ Xá"] and article["published_at"] == "2020-08-17T08:33:00+07:00"
    assert article["category"] == "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh"


def test_every_live_article_parses_to_its_truth(replica):
    for article_id in replica.live_ids():
        article, truth = parsed(replica, article_id)
        assert_matches_truth(article, truth, f"article {article_id}")


@pytest.mark.parametrize("generation", GENERATIONS)
def test_a_brief_thinner_than_a_refused_page_is_still_an_article(generation):
    """A two-sentence brief with no photo, its lead included, is thinner than the bar under which an
    undated page is no article; its address and its date by the headline make it one."""
    from crawler.parsing.classify import THIN_BODY

    thin = []
    for seed in (1, 2, 5):  # (a brief that thin and without a photo is one article in a thousand)
        replica = Replica(seed=seed, articles=2000)
        thin += [(replica, article_id) for article_id in replica.live_ids()
                 if not replica.article(article_id).images
                 and len(replica.article(article_id).sapo or "") + len(replica.article(article_id).body_text()) < THIN_BODY]
    assert len(thin) >= 3, thin
    for replica, article_id in thin:
        article, truth = parsed(replica, article_id, generation=generation)
        assert_matches_truth(article, truth, f"{generation} brief {article_id} (seed {replica.seed})")


def test_a_page_that_thin_dated_only_by_the_site_s_today_is_no_article():
    """The same thin brief with its own meta line taken out, the site's date of today (a day, no
    clock) in a bar over the headline: that day does not make it an article, as it would not make
    a maintenance notice at an article's address one."""
    import re

    from crawler.parsing.classify import THIN_BODY
    from crawler.replica.layouts import Layout

    replica = Replica(seed=1, articles=2000)
    thin = [a for a in replica.live_ids() if not replica.article(a).images
            and len(replica.article(a).sapo or "") + len(replica.article(a).body_text()) < THIN_BODY]
    assert thin
    layout = Layout(today_bar="over_headline", metadata="none", meta_position="below", meta_element="div")
    for article_id in thin:
        page = replica.render_article(article_id, layout=layout)
        html = page.body.decode("utf-8")
        assert '<div class="today">' in html
        assert parse_article(page.body, replica.url_for(article_id), page.headers).published_at is not None
        undated = re.sub(r'<div class="meta">.*?</div>', "", html, count=1, flags=re.S)
        assert undated != html
        with pytest.raises(NotAnArticle):
            parse_article(undated.encode(), replica.url_for(article_id), page.headers)


@pytest.mark.parametrize("generation,encoding", list(product(GENERATIONS, ENCODINGS)))
def test_every_generation_byline_and_encoding(replica, generation, encoding):
    """Each byline form the replica writes, in each generation and encoding."""
    by_form = {}
    for article_id in replica.live_ids():
        by_form.setdefault(replica.article(article_id).byline.form, article_id)
    assert len(by_form) >= 6, by_form
    for form, article_id in sorted(by_form.items()):
        article, truth = parsed(replica, article_id, generation=generation, encoding=encoding)
        assert_matches_truth(article, truth, f"{generation}/{encoding}/{form} article {article_id}")


@pytest.mark.parametrize("obfuscate_seed", [1, 2, 3])
def test_unseen_markup_renamed_classes_and_swapped_wrappers(replica, obfuscate_seed):
    ids = replica.live_ids()[obfuscate_seed::7]
    for article_id in ids:
        for generation in GENERATIONS:
            article, truth = parsed(replica, article_id, generation=generation, obfuscate_seed=obfuscate_seed)
            assert_matches_truth(article, truth, f"obfuscated {obfuscate_seed} {generation} article {article_id}")


def test_pages_that_are_not_articles(replica):
    from crawler.replica.site import respond

    for path in ("/", f"/tin-tuc/{replica.categories[0].slug}/", f"/tin-tuc/{replica.categories[0].slug}/trang-99.html",
                 "/tim-kiem?q=dien+bien", "/khong-co-trang-nay"):
        response = respond(replica, "GET", path, {})
        with pytest.raises(NotAnArticle):
            parse_article(response.body, "http://127.0.0.1" + path, response.headers)


def test_cli_parse_prints_json_and_refuses_non_articles(replica, tmp_path):
    page = replica.render_article(Replica.SEED_ARTICLE_ID, generation="2020", encoding="windows-1258")
    saved = tmp_path / "seed.html"
    saved.write_bytes(page.body)
    url = replica.expected(Replica.SEED_ARTICLE_ID)["url"]
    done = subprocess.run([sys.executable, "-m", "crawler.cli", "parse", str(saved), "--url", url],
                          capture_output=True, check=True)
    article = json.loads(done.stdout.decode("utf-8"))
    assert article["article_id"] == Replica.SEED_ARTICLE_ID
    assert article["view_count"] == 5717
    assert article["title"].startswith("Đổi mới")

    listing = tmp_path / "listing.html"
    listing.write_text("<html><head><title>Y tế</title></head><body><h1>Y tế</h1>"
                       + "".join(f'<h3><a href="/tin-tuc/y-te/{n}/bai-{n}">Bài {n}</a></h3>' for n in range(30))
                       + "</body></html>", encoding="utf-8")
    refused = subprocess.run([sys.executable, "-m", "crawler.cli", "parse", str(listing)], capture_output=True)
    assert refused.returncode != 0
    assert refused.stdout == b""
    lines = refused.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "not an article" in lines[0] and "listing.html" in lines[0]
