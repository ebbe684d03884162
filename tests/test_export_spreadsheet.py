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

from exports.csv import write_csv
from tests.test_export import archive_path  # noqa: F401 - the shared archive fixture

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
