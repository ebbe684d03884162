"""The CSV as a real spreadsheet reads it: LibreOffice Calc, headless.

Skips with a reason where LibreOffice is missing, except under CI (CI=true), where `.ci/run`
installs it and a skip would hide a broken export.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html import unescape

import pytest

from exports.csv import COLUMNS, write_csv
from tests.test_export import archive_path, newsroom  # noqa: F401 - the shared archive fixtures

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture
def calc():
    if SOFFICE is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice is missing under CI: .ci/run should have installed libreoffice-calc")
        pytest.skip("LibreOffice (soffice) is not installed; apt-get install libreoffice-calc-nogui")
    return SOFFICE


def open_in_calc(soffice, csv_path, tmp_path) -> list[list[tuple[str, bool]]]:
    """The sheet's cells as (shown text, is a number), via Calc's own HTML export.

    Headless Calc has no import dialog to pick the character set in, and without one it ignores the
    BOM; we name UTF-8 as a person would in the dialog (Excel needs no help: it honours the BOM)."""
    profile = tmp_path / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--infilter=Text - txt - csv (StarCalc):44,34,UTF8", "--convert-to", "html",
                    "--outdir", str(tmp_path / "out"), str(csv_path)], check=True, capture_output=True, timeout=180)
    html = (tmp_path / "out" / (csv_path.stem + ".html")).read_text(encoding="utf-8", errors="replace")
    rows = []
    for row in re.findall(r"<tr.*?</tr>", html, flags=re.S):
        cells = []
        for attrs, inner in re.findall(r"<td([^>]*)>(.*?)</td>", row, flags=re.S):
            cells.append((unescape(re.sub(r"<[^>]+>", "", inner)).strip(), "sdval=" in attrs))
        rows.append(cells)
    return rows


def test_calc_reads_vietnamese_numbers_and_no_formulas(calc, archive_path, tmp_path):  # noqa: F811
    out = tmp_path / "articles.csv"
    write_csv(archive_path, out)
    sheet = open_in_calc(calc, out, tmp_path)
    header = [text for text, _ in sheet[0]]
    assert header[0] == "url"  # the BOM is read as a BOM, not as part of the first heading
    title, views, sapo = header.index("title"), header.index("view_count"), header.index("sapo")
    rows = {row[header.index("article_id")][0]: row for row in sheet[1:] if row}
    assert rows["101"][title][0] == "Đổi mới sáng tạo, xây dựng Đảng bộ 101".replace("Đổi", "Ðổi", 1)
    assert rows["101"][views] == ("6000", True)  # a number the sheet can sum, not text like "6.000"
    # A title made to look like a formula is shown as the text it is, not run.
    shown, is_number = rows["102"][title]
    assert "HYPERLINK" in shown and not is_number
    assert rows["102"][sapo][0].endswith("-5 độ C ở Mường Nhé")


def calc_to_xlsx(soffice, csv_path, tmp_path):
    """The workbook Calc makes of the CSV, read back with openpyxl (formulas kept as formulas).
    The charset is named, as in `open_in_calc`: headless Calc ignores the BOM."""
    try:
        import openpyxl
    except ImportError:  # in the test extra: missing under CI is a broken install, elsewhere a skip
        if os.environ.get("CI") == "true":
            pytest.fail("openpyxl is missing under CI: pip install -e '.[test]'")
        pytest.skip("openpyxl is not installed; pip install -e '.[test]'")
    profile = tmp_path / "lo-profile"
    outdir = tmp_path / "xlsx"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--infilter=Text - txt - csv (StarCalc):44,34,UTF8", "--convert-to", "xlsx",
                    "--outdir", str(outdir), str(csv_path)], check=True, capture_output=True, timeout=180)
    return openpyxl.load_workbook(outdir / (csv_path.stem + ".xlsx")).active


def test_calc_makes_a_workbook_with_vietnamese_numbers_and_no_formulas(calc, newsroom, tmp_path):  # noqa: F811
    from tests.clirun import dbp, query
    from tests.test_export import FORMULA_LIKE

    out = tmp_path / "articles.csv"
    assert dbp("export", "csv", "--db", newsroom, "-o", out).returncode == 0
    sheet = calc_to_xlsx(calc, out, tmp_path)
    header = [c.value for c in sheet[1]]
    assert header == [name for name, _ in COLUMNS]
    column = {name: number for number, name in enumerate(header)}
    rows = {str(row[column["identity"]].value): row for row in sheet.iter_rows(min_row=2)}
    stored = query(newsroom, "SELECT a.identity, v.title, v.sapo, a.view_count FROM articles AS a"
                             " JOIN versions AS v ON v.id = a.current_version_id")
    assert len(rows) == len(stored)
    for identity, title, sapo, views in stored:
        row = rows[identity]
        formula_like = int(identity) in FORMULA_LIKE if identity.isdigit() else False
        assert row[column["title"]].value == ("'" + title if formula_like else title)  # Vietnamese intact
        if views is not None:
            # A number the sheet can sum, read as the integer it is (not text, not 5.717).
            assert (row[column["view_count"]].value, row[column["view_count"]].data_type) == (views, "n")
    assert any("ư" in (row[column["title"]].value or "") for row in rows.values())
    formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    # The same export with --raw does make Calc run the title as a formula: the check above can see one.
    raw = tmp_path / "raw.csv"
    assert dbp("export", "csv", "--db", newsroom, "--raw", "-o", raw).returncode == 0
    raw_sheet = calc_to_xlsx(calc, raw, tmp_path / "raw")
    assert any(c.data_type == "f" for row in raw_sheet.iter_rows() for c in row)
