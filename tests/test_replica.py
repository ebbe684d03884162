"""The replica: determinism, page shapes and weights, truth agreeing with pages, HTTP manners, time."""

from __future__ import annotations

import json
from urllib.parse import urlsplit
import random
import re
import signal
import subprocess
import sys
import time
import unicodedata
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import lxml.html
import pytest

from crawler.replica import Replica, ReplicaServer
from crawler.replica.obfuscate import ICON_FONT_CLASS, obfuscate
from crawler.replica.vietnamese import encode_windows_1258, normalise

SEED_FILE = Path(__file__).resolve().parents[1] / "crawler" / "replica" / "data" / "seed-article.txt"


# --- helpers ---------------------------------------------------------------------------------------
def decoded(page) -> str:
    return page.body.decode(page.charset())


def visible_text(html_text: str) -> str:
    """What a reader sees, whitespace collapsed (letters left as the page has them)."""
    doc = lxml.html.fromstring(html_text)
    for node in doc.xpath("//script|//style|//head"):
        node.drop_tree()
    return " ".join(unicodedata.normalize("NFC", doc.text_content()).split())


def class_and_id_names(html_text: str) -> set[str]:
    doc = lxml.html.fromstring(html_text)
    names = set()
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        names.update((element.get("class") or "").split())
        if element.get("id"):
            names.add(element.get("id"))
    return names


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, headers: dict | None = None, method: str = "GET"):
    request = urllib.request.Request(url, headers=headers or {}, method=method,
                                     data=b"" if method == "POST" else None)
    try:
        with _OPENER.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def replica() -> Replica:
    return Replica(seed=1, articles=200)


@pytest.fixture()
def served():
    """A fresh replica behind a real server (tests that advance time get their own)."""
    replica = Replica(seed=7, articles=120)
    with ReplicaServer(replica) as server:
        yield replica, server


# --- model ---------------------------------------------------------------------------------------
def test_same_seed_same_site_and_other_seed_other_site():
    first, second, other = Replica(seed=3, articles=60), Replica(seed=3, articles=60), Replica(seed=4, articles=60)
    assert first.all_ids() == second.all_ids()
    for article_id in first.all_ids()[::7]:
        assert first.render_article(article_id).body == second.render_article(article_id).body
        assert first.expected(article_id) == second.expected(article_id)
    assert [first.expected(i)["title"] for i in first.all_ids()[:10]] != \
           [other.expected(i)["title"] for i in other.all_ids()[:10]]
    # A replica built at epoch 3 is the replica advanced three times.
    advanced, built = Replica(seed=3, articles=60), Replica(seed=3, articles=60, epoch=3)
    advanced.advance(3)
    assert advanced.live_ids() == built.live_ids()
    assert [advanced.expected(i) for i in advanced.live_ids()] == [built.expected(i) for i in built.live_ids()]


def test_ids_are_unique_six_digit_numbers(replica):
    ids = replica.all_ids()
    assert len(set(ids)) == len(ids) == 200
    assert all(100_000 <= i <= 999_999 for i in ids)


def test_categories_are_vietnamese_with_slugs(replica):
    names = [c.name for c in replica.categories]
    assert len(names) == 8 and "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh" in names
    assert all(re.fullmatch(r"[a-z0-9-]+", c.slug) for c in replica.categories)


def test_variety_every_byline_form_and_page_feature_occurs(replica):
    specs = [replica.article(i) for i in replica.all_ids()]
    truths = [replica.expected(i) for i in replica.all_ids()]
    assert set(Counter(s.byline.form for s in specs)) == {"name", "name_role", "text_photo", "two_authors",
                                                          "agency", "republished"}
    assert any(t["view_count"] is None for t in truths)
    assert any(not t["related"] for t in truths)
    assert any(not t["images"] for t in truths)
    assert any(len(t["images"]) >= 3 for t in truths)
    assert any(i["caption"] == "Ảnh minh họa" and i["credit"] is None for t in truths for i in t["images"])
    assert any(s.traits.weekday_shift for s in specs)
    assert any(t["article_id"] is None for t in truths)
    assert any(t["source"] == "TTXVN" and t["authors"] for t in truths)
    assert any(t["source"] and not t["authors"] for t in truths)
    assert any(len(t["authors"]) == 2 for t in truths)
    assert any("\n\n" in t["body_text"] for t in truths)
    assert {s.traits.encoding for s in specs} == {"utf-8", "windows-1258"}
    assert Counter(s.generation for s in specs).keys() == {"2020", "2023", "2025"}


def test_seed_article_truth(replica):
    truth = replica.expected(Replica.SEED_ARTICLE_ID)
    assert truth["article_id"] == Replica.SEED_ARTICLE_ID
    assert truth["category"] == "Đảng bộ Khối Cơ quan và Doanh nghiệp tỉnh"
    assert truth["title"] == "Đổi mới sáng tạo, xây dựng Đảng bộ trong sạch vững mạnh"
    assert truth["published_at"] == "2020-08-17T08:33:00+07:00"
    assert truth["view_count"] == 5717
    assert truth["sapo"].startswith("Đổi mới phương thức lãnh đạo") and "ĐBP" not in truth["sapo"]
    assert truth["authors"] == ["Lỳ Lỳ Xá"]
    assert truth["author_role"] == "Tỉnh ủy viên, Bí thư Đảng ủy Khối Cơ quan và Doanh nghiệp tỉnh"
    assert truth["photo_credits"] == ["Minh Thùy"]
    assert [i["credit"] for i in truth["images"]] == ["Minh Thùy"]
    assert truth["images"][0]["caption"].endswith("Doanh nghiệp tỉnh.")
    assert "Ð" not in json.dumps(truth, ensure_ascii=False)
    assert truth["body_text"].count("\n\n") == 4 and "Lỳ Lỳ Xá" not in truth["body_text"]
    assert truth["related"]


def test_seed_article_page_shows_the_seed_text_with_its_eth(replica):
    page = replica.render_article(Replica.SEED_ARTICLE_ID)
    text = visible_text(decoded(page))
    lines = [line.strip() for line in SEED_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    for line in lines:
        assert " ".join(line.split()) in text, line[:60]
    assert text.count("Ð") >= 39 and "ĐBP - " in text
    assert "<link rel=\"canonical\"" not in decoded(page) and "og:title" not in decoded(page)


# --- pages ---------------------------------------------------------------------------------------
def test_page_weights_are_like_real_pages(replica):
    for article_id in replica.all_ids():
        size = len(replica.render_article(article_id).body)
        assert 60_000 <= size <= 120_000, (article_id, size)


def test_every_page_shows_its_truth(replica):
    """Each truth string appears in the page as a reader sees it (after normalising the letters)."""
    for article_id in replica.all_ids():
        truth = replica.expected(article_id)
        page = replica.render_article(article_id)
        text = normalise(visible_text(decoded(page)))
        pieces = [truth["title"], truth["category"], truth["sapo"] or "", *truth["body_text"].split("\n\n"),
                  *(i["caption"] or "" for i in truth["images"]), *(r["title"] for r in truth["related"]),
                  *truth["authors"], truth["author_role"] or "", truth["source"] or ""]
        for piece in pieces:
            assert normalise(piece) in text, (article_id, piece[:60])
        if truth["view_count"] is not None:
            assert "Lượt xem" in text or "lượt xem" in text
        if truth["sapo"] and replica.article(article_id).sapo_marked:
            assert "ĐBP - " + normalise(truth["sapo"])[:30] in text
        html_text = decoded(page)
        for image in truth["images"]:
            assert image["src"].removeprefix(replica.base_url) in html_text


def test_date_lines_per_generation(replica):
    by_generation = {}
    for article_id in replica.all_ids():
        by_generation.setdefault(replica.article(article_id).generation, article_id)
    page_2020 = visible_text(decoded(replica.render_article(by_generation["2020"])))
    assert re.search(r"\d\d:\d\d - (Thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ nhật), \d\d/\d\d/\d{4}", page_2020)
    html_2023 = decoded(replica.render_article(by_generation["2023"]))
    assert re.search(r'<time class="detail__time" datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:00\+07:00">', html_2023)
    assert 'property="og:title"' in html_2023
    html_2025 = decoded(replica.render_article(by_generation["2025"]))
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d \(GMT\+7\)", html_2025)
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html_2025).group(1)
    assert json.loads(ld)["@type"] == "NewsArticle"


def test_short_view_counts_mean_what_they_show():
    replica = Replica(seed=2, articles=300)
    seen = set()
    for article_id in replica.all_ids():
        spec, truth = replica.article(article_id), replica.expected(article_id)
        if spec.generation != "2025" or truth["view_count"] is None:
            continue
        text = visible_text(decoded(replica.render_article(article_id)))
        shown = re.search(r"Lượt xem: ([\d.,]+(?:(?: N|K| Tr)(?!\w))?)|([\d.,]+(?: N|K| Tr)?) lượt xem", text)
        value = shown.group(1) or shown.group(2)
        if value.endswith((" N", "K", " Tr")):
            number, unit = re.fullmatch(r"([\d,]+) ?(N|K|Tr)", value).groups()
            assert round(float(number.replace(",", ".")) * {"N": 1e3, "K": 1e3, "Tr": 1e6}[unit]) == truth["view_count"]
            seen.add(unit)
    assert seen == {"N", "K", "Tr"}


def test_windows_1258_pages_decode_to_the_truth():
    replica = Replica(seed=1, articles=200)
    cp1258 = [i for i in replica.all_ids() if replica.article(i).traits.encoding == "windows-1258"]
    declared = set()
    for article_id in cp1258:
        page = replica.render_article(article_id)
        content_type = page.headers["Content-Type"]
        declared.add("header" if "windows-1258" in content_type else "meta")
        if "windows-1258" not in content_type:
            assert b"charset=windows-1258" in page.body[:2000]
        with pytest.raises(UnicodeDecodeError):
            page.body.decode("utf-8")
        text = normalise(visible_text(page.body.decode("cp1258")))
        truth = replica.expected(article_id)
        assert normalise(truth["title"]) in text
        for paragraph in truth["body_text"].split("\n\n"):
            assert paragraph in text
    assert declared == {"header", "meta"}
    # Tones the code page cannot hold precomposed are written as base letter + combining mark.
    assert encode_windows_1258("ệ").decode("cp1258") == "ê\u0323"
    # Any article can be asked for in Windows-1258.
    forced = replica.render_article(Replica.SEED_ARTICLE_ID, encoding="windows-1258")
    assert "Ð" in visible_text(forced.body.decode("cp1258"))  # the look-alike survives as &#208;


def test_obfuscated_page_renames_everything_but_reads_the_same(replica):
    for article_id in replica.all_ids()[::25]:
        plain = decoded(replica.render_article(article_id))
        hidden_page = replica.render_article(article_id, obfuscate_seed=99)
        hidden = decoded(hidden_page)
        assert class_and_id_names(plain) and class_and_id_names(hidden)
        kept_names = class_and_id_names(plain) & class_and_id_names(hidden)
        assert all(ICON_FONT_CLASS.match(name) for name in kept_names), kept_names  # (only the icons' own)
        assert visible_text(plain) == visible_text(hidden)
        for kept in ("<h1", "<time", 'rel="canonical"', "application/ld+json"):
            assert plain.count(kept) == hidden.count(kept)
        assert Counter(re.findall(r"<(div|section|article|table)\b", plain)) != \
               Counter(re.findall(r"<(div|section|article|table)\b", hidden))
    assert obfuscate("<div class='a'><p>x</p></div>", 1) == obfuscate("<div class='a'><p>x</p></div>", 1)


def test_other_generation_on_request(replica):
    for generation in ("2020", "2023", "2025"):
        page = replica.render_article(Replica.SEED_ARTICLE_ID, generation=generation)
        truth = replica.expected(Replica.SEED_ARTICLE_ID, generation=generation)
        assert normalise(truth["title"]) in normalise(visible_text(decoded(page)))


def test_a_big_replica_renders_any_article_quickly():
    started = time.perf_counter()
    big = Replica(seed=11, articles=50_000)
    built = time.perf_counter() - started
    rng = random.Random(0)
    ids = rng.sample(big.all_ids(), 20)
    started = time.perf_counter()
    for article_id in ids:
        page = big.render_article(article_id)
        assert 60_000 <= len(page.body) <= 120_000
        assert big.expected(article_id)["title"]
    rendered = time.perf_counter() - started
    # Building 50 000 specs would take tens of seconds: these bounds hold only if pages are made on demand.
    assert built < 3 and rendered < 3, (built, rendered)


# --- unlisted articles -----------------------------------------------------------------------------
def test_unlisted_articles_are_linked_from_a_listed_article(replica):
    unlisted = replica.unlisted_ids()
    assert unlisted
    listed_related = {r["url"] for i in replica.listed_ids() for r in replica.expected(i)["related"]}
    for article_id in unlisted:
        assert replica.url_for(article_id) in listed_related


# --- HTTP ----------------------------------------------------------------------------------------
def test_http_article_urls_redirects_and_conditional_get(served):
    replica, server = served
    seed_url = replica.url_for(Replica.SEED_ARTICLE_ID)
    assert re.fullmatch(re.escape(server.url) + r"/tin-tuc/dang-bo-khoi-co-quan-va-doanh-nghiep-tinh/171925/[a-z0-9-]+",
                        seed_url)
    status, validators, body = fetch(seed_url)
    assert status == 200 and validators["ETag"] and validators["Last-Modified"]
    assert replica.expected(Replica.SEED_ARTICLE_ID)["url"] == seed_url
    # Outdated slug, wrong category, missing slug: 301 to the current URL.
    for wrong in (seed_url.rsplit("/", 1)[0] + "/mot-tieu-de-cu",
                  seed_url.replace("dang-bo-khoi-co-quan-va-doanh-nghiep-tinh", replica.categories[0].slug),
                  seed_url.rsplit("/", 1)[0], seed_url + "/"):
        status, headers, _ = fetch(wrong)
        assert (status, headers["Location"]) == (301, seed_url)
    assert fetch(seed_url, {"If-None-Match": validators["ETag"]})[0] == 304
    assert fetch(seed_url, {"If-Modified-Since": validators["Last-Modified"]})[0] == 304
    assert fetch(seed_url, {"If-None-Match": '"something-else"'})[0] == 200
    assert fetch(seed_url + "?utm_source=zalo")[0] == 200
    # Id-less pages live at /tin-bai/ and name themselves by canonical link.
    id_less = replica.id_less_ids()[0]
    status, _, body = fetch(replica.url_for(id_less))
    assert status == 200 and f'<link rel="canonical" href="{replica.url_for(id_less)}">' in body.decode()
    assert replica.expected(id_less)["article_id"] is None
    assert replica.identity(id_less) == urlsplit(replica.url_for(id_less)).path  # host-free
    moved = replica.url_for(id_less).replace(f"/tin-bai/{replica.article(id_less).category.slug}/",
                                             f"/tin-bai/{replica.categories[-1].slug}/")
    if moved != replica.url_for(id_less):
        assert fetch(moved)[0] == 301
    assert replica.expected_for_url(moved) == replica.expected(id_less)
    assert replica.expected_for_url(seed_url + "?utm_source=zalo")["article_id"] == Replica.SEED_ARTICLE_ID
    assert fetch(server.url + "/tin-tuc/chinh-tri/999999/khong-co")[0] == 404


def test_http_listings_robots_sitemap_search_and_errors(served):
    replica, server = served
    category = replica.categories[0]
    status, _, body = fetch(f"{server.url}/tin-tuc/{category.slug}/")
    assert status == 200
    first_page = re.findall(r'href="(/tin-tuc/[a-z0-9-]+/\d{6}/[a-z0-9-]+)"', body.decode())
    listed = [replica.url_for(i).removeprefix(server.url) for i in replica.listed_ids()
              if replica.article(i).category == category and not replica.article(i).id_less]
    newest_first = sorted(listed, key=lambda p: -replica.index_of(int(p.split("/")[3])))
    assert [p for p in dict.fromkeys(first_page) if p in newest_first][:5] == newest_first[:5]
    status, _, body = fetch(f"{server.url}/tin-tuc/{category.slug}/trang-500.html")
    assert status == 200 and "Không có bài viết nào" in body.decode()
    assert fetch(f"{server.url}/tin-tuc/{category.slug}")[0] == 301
    status, headers, body = fetch(server.url + "/robots.txt")
    assert "Disallow: /tim-kiem" in body.decode() and f"Sitemap: {server.url}/sitemap.xml" in body.decode()
    status, headers, body = fetch(server.url + "/sitemap.xml")
    locs = re.findall(r"<loc>(.*?)</loc>", body.decode())
    assert 0 < len(locs) < len(replica.listed_ids())
    assert not {replica.url_for(i) for i in replica.unlisted_ids()} & set(locs)
    status, _, body = fetch(server.url + "/tim-kiem?q=dang")
    assert status == 200 and "<h1" in body.decode() and "Tìm kiếm" in body.decode()
    status, headers, body = fetch(server.url + "/khong-co-trang-nay")
    assert status == 404 and headers["Content-Type"].startswith("text/html") and b"</html>" in body
    state = json.loads(fetch(server.url + "/_replica/state")[2])
    assert state["epoch"] == 0 and state["articles"] == 120


def test_http_time_edits_take_downs_and_new_articles(served):
    replica, server = served
    before = {i: replica.expected(i) for i in replica.live_ids()}
    old_urls = {i: replica.url_for(i) for i in replica.live_ids()}
    changes = json.loads(fetch(server.url + "/_replica/advance", method="POST")[2])
    assert changes == replica.changes(0, 1).to_dict()
    assert changes["edited"] and changes["taken_down"] and changes["added"]
    for article_id in changes["edited"]:
        after = replica.expected(article_id)
        changed = {k for k in ("title", "sapo", "body_text") if after[k] != before[article_id][k]}
        assert changed, article_id
        if article_id in changes["moved"]:
            status, headers, _ = fetch(old_urls[article_id])
            assert (status, headers["Location"]) == (301, replica.url_for(article_id))
        if not replica.article(article_id).generation == "2020":
            assert after["updated_at"] and after["updated_at"] > after["published_at"]
    for article_id in changes["taken_down"]:
        status, _, _ = fetch(old_urls[article_id])
        assert status == changes["status"][str(article_id)] in (404, 410)
        with pytest.raises(LookupError):
            replica.expected(article_id)
    newest = replica.listed_ids()[-len(changes["added"]):]
    assert set(changes["added"]) >= set(newest) - set(old_urls)
    _, _, home = fetch(server.url + "/")
    newest_path = replica.url_for(changes["added"][-1]).removeprefix(server.url)
    assert newest_path in home.decode()
    for article_id in before:
        if article_id in replica.live_ids() and before[article_id]["view_count"] is not None:
            assert replica.expected(article_id)["view_count"] >= before[article_id]["view_count"]
    seed_views = replica.expected(Replica.SEED_ARTICLE_ID)["view_count"]
    assert seed_views > 5717


def test_several_epochs_of_changes_add_up():
    replica = Replica(seed=5, articles=400)
    first = replica.advance(2)
    second = replica.advance(3)
    whole = replica.changes(0, 5)
    # Articles both published and taken down within the span are neither added nor taken down.
    assert set(whole.taken_down) == set(first.taken_down) | (set(second.taken_down) - set(first.added))
    assert set(whole.added) <= set(first.added) | set(second.added)
    assert not set(whole.edited) & set(whole.taken_down)
    assert 0.03 * 400 <= len(replica.changes(0, 1).edited) <= 0.07 * 400
    gone = set(whole.taken_down)
    assert not gone & set(replica.live_ids())
    assert {replica.status(i) for i in gone} <= {404, 410}
    with pytest.raises(ValueError):
        replica.changes(0, 6)


def test_respond_answers_without_a_server(replica):
    from crawler.replica.site import respond

    assert respond(replica, "GET", "/robots.txt").status == 200
    assert respond(replica, "GET", "/khong-co").status == 404
    assert respond(replica, "POST", "/").status == 405
    page = respond(replica, "GET", replica.path_of(replica.index_of(Replica.SEED_ARTICLE_ID)))
    assert page.status == 200 and page.body == replica.render_article(Replica.SEED_ARTICLE_ID).body


def test_obfuscating_server_serves_parseable_pages():
    replica = Replica(seed=9, articles=40)
    with ReplicaServer(replica, obfuscate=True):
        url = replica.url_for(Replica.SEED_ARTICLE_ID)
        status, headers, body = fetch(url)
        plain = decoded(replica.render_article(Replica.SEED_ARTICLE_ID))
        assert status == 200
        assert visible_text(body.decode("utf-8")) == visible_text(plain)
        assert not class_and_id_names(plain) & class_and_id_names(body.decode("utf-8"))


def test_run_forever_prints_url_writes_file_and_stops_on_sigterm(tmp_path):
    url_file = tmp_path / "replica.url"
    url_file.write_text("http://127.0.0.1:1\n")  # an earlier run's: replaced on this start
    process = subprocess.Popen([sys.executable, "-m", "crawler.replica", "--articles", "30", "--url-file",
                                str(url_file)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        match = re.fullmatch(r"Serving replica at (http://127\.0\.0\.1:\d+)/ \(30 articles, epoch 0\)\n", line)
        assert match, line
        assert url_file.read_text().strip() == match.group(1)
        assert fetch(match.group(1) + "/robots.txt")[0] == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_todays_site_moves_and_reslugs_without_touching_other_articles():
    replica = Replica(seed=1, articles=300, today=True)
    before = {a: (replica.view(replica.index_of(a)).related, replica.spec(replica.index_of(a)).title)
              for a in replica.all_ids()}
    changes = replica.advance(2)
    assert changes.recategorised and any(a in replica.id_less_ids() for a in changes.moved)
    untouched = set(before) - set(changes.edited) - set(changes.taken_down)
    for article_id in untouched:  # a move changes the moved article's category and URL, nothing else
        related, title = before[article_id]
        assert replica.spec(replica.index_of(article_id)).title == title
        assert replica.view(replica.index_of(article_id)).related == related  # old pages keep their links
    # The same site, however it was asked: a replica started at epoch 2 serves the same URLs.
    again = Replica(seed=1, articles=300, today=True, epoch=2)
    assert {a: again.path_of(again.index_of(a)) for a in again.all_ids()} == {
        a: replica.path_of(replica.index_of(a)) for a in replica.all_ids()}


def test_kept_pages_are_the_pages_the_site_renders_through_clock_moves_and_redesigns():
    """The benchmark's server keeps rendered pages in memory; what it serves must stay byte for byte
    what rendering now would give, or the bench would crawl a site that never changes."""
    from crawler.replica.site import Site

    kept_replica, fresh_replica = Replica(seed=4, articles=60), Replica(seed=4, articles=60)
    kept, fresh = Site(kept_replica, keep_pages=True), Site(fresh_replica)
    assert kept.prerender() == sum(1 for a in kept_replica.live_ids() if kept_replica.gone_kind(a) is None)

    def same_pages() -> int:
        served = 0
        for article_id in fresh_replica.live_ids():
            path = fresh_replica.path_of(fresh_replica.index_of(article_id))
            a, b = kept.handle("GET", path), fresh.handle("GET", path)
            assert (a.status, a.headers, a.body) == (b.status, b.headers, b.body), path
            served += a.status == 200
        return served

    before = {a: kept.handle("GET", kept_replica.path_of(kept_replica.index_of(a))).body
              for a in kept_replica.live_ids()}
    assert same_pages() > 40
    changes = kept_replica.advance(3)
    fresh_replica.advance(3)
    assert same_pages() > 40
    moved = [a for a, body in before.items()
             if a in kept_replica.live_ids() and kept.handle("GET", kept_replica.path_of(kept_replica.index_of(a))).body != body]
    assert moved, changes  # the view counters moved, so the kept pages did too
    kept_replica.redesign()
    fresh_replica.redesign()
    kept.obfuscate = fresh.obfuscate = True
    assert same_pages() > 40


def test_a_port_taken_on_an_old_domain_address_makes_the_today_replica_pick_another(monkeypatch):
    # The old domains answer on the main port's number on 127.0.0.2/.3, where another replica (a test
    # beside this one) may hold it: the replica then serves from another free port, not an error.
    import errno as errnos

    from crawler.replica import server as replica_server

    real, refused = replica_server._http_server, []

    def taken_once(host, port, *args, **kwargs):
        if host == "127.0.0.2" and not refused:
            refused.append(port)
            raise OSError(errnos.EADDRINUSE, "Address already in use")
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(replica_server, "_http_server", taken_once)
    with replica_server.ReplicaServer(Replica(seed=1, articles=5, today=True)) as server:
        assert refused and server.port != refused[0]
        assert server.old_urls["2023"] == f"http://127.0.0.2:{server.port}"
        with urllib.request.urlopen(server.url + "/", timeout=10) as response:
            assert response.status == 200
