"""Problem kinds and audit details in words: the pages never show ``implausible-change`` or raw JSON."""

import json
import re
from pathlib import Path

import pytest

from metrics.judging import audit_words
from metrics.storage import audit
from metrics.vocabulary import problem_titles
from metrics.vocabulary.messages import MESSAGES

ROOT = Path(__file__).resolve().parent.parent


def test_every_problem_the_import_can_report_has_words_in_both_languages():
    missing = [code for code in MESSAGES if code not in problem_titles.TITLES]
    assert missing == []
    for vi, en in problem_titles.TITLES.values():
        assert vi and en and "-" not in vi.split()[0]


def test_every_problem_a_catalogue_file_can_report_has_words():
    """Plans, targets and units files report their own codes (issue 15 added three): the plans-and-targets
    table of Quản trị must show them in words too, never as 'basis needs amount' on a Vietnamese page."""
    sources = [ROOT / "metrics" / "catalogue" / name for name in ("rules.py", "tabular.py")]
    codes = {code for path in sources for code in re.findall(r'"([a-z]+(?:-[a-z]+)+)"', path.read_text("utf-8"))}
    codes |= set(re.findall(r'Problem\([^)]*?"([a-z]+(?:-[a-z]+)+)"', (ROOT / "metrics" / "catalogue" / "loading.py").read_text("utf-8")))
    assert "basis-needs-amount" in codes and "wrong-file-kind" in codes  # the scan finds what it must
    assert sorted(codes - set(problem_titles.TITLES)) == []


def test_a_problem_kind_reads_as_words():
    assert problem_titles.title("implausible-change") == "Thay đổi bất thường"
    assert problem_titles.title("implausible-change", "en") == "Implausible change"
    assert problem_titles.title("some-new-code") == "some new code"  # never the bare kebab-case code


@pytest.mark.parametrize("action, detail, vi, en", [
    ("import", {"batch": 3, "file": "so-lieu.csv", "rows": 1250, "plan": "DH-XI", "sha256": "ab" * 32,
                "recorded_as": "lan"},
     "đợt #3 · tệp so-lieu.csv · 1.250 giá trị · kế hoạch DH-XI · SHA-256 abababababab… · ghi tên lan",
     "batch #3 · file so-lieu.csv · 1,250 values · plan DH-XI · SHA-256 abababababab… · recorded as lan"),
    ("user-role", {"username": "minh", "from": "viewer", "to": "analyst"},
     "tài khoản minh · vai trò Người xem → Cán bộ nghiệp vụ", None),
    ("sign-in-failed", {"reason": "password"}, "sai mật khẩu", "wrong password"),
    ("init", {"demo": True, "force": False}, "có số liệu mẫu", "with the demo data"),
    ("backup", {"folder": "/srv/kpi", "counts": {"values": 1000, "units": 30}},
     "thư mục /srv/kpi · 2 bảng, 1.030 dòng", None),
    ("targets-load", {"files": ["a.csv", "b.csv"], "plans": 1, "targets": 27, "mystery": "x"},
     "tệp a.csv, b.csv · 1 kế hoạch · 27 chỉ tiêu · mystery: x", None),
])
def test_audit_details_read_as_words(action, detail, vi, en):
    text = json.dumps(detail, ensure_ascii=False, sort_keys=False)
    assert audit_words.words(action, text, "vi") == vi
    if en:
        assert audit_words.words(action, text, "en") == en
    assert "{" not in audit_words.words(action, text, "vi")


def test_no_detail_is_empty_and_text_that_is_not_json_is_kept():
    assert audit_words.words("sign-out", None) == ""
    assert audit_words.words("import", "not json") == "not json"


def test_a_row_without_details_read_back_from_the_log_is_empty(mini_store):
    """The admin page crashed on its log: a row stored without details comes back from DuckDB as NaN."""
    audit.record(mini_store, "lan", "sign-in")
    audit.record(mini_store, "lan", "import", {"batch": 3, "rows": 2})
    log = audit.entries(mini_store)
    assert [audit_words.words(a, d, "vi") for a, d in zip(log["action"], log["detail"])] == ["đợt #3 · 2 giá trị", ""]
