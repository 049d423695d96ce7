"""The HTML report: well-formed, self-contained, escaped, with the summary numbers and the comparison."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

import pytest

from endstate.experiments.compare import compare, rows_as_dicts
from endstate.report.html import fmt_number, fmt_share, render_report, write_report
from endstate.report.stats import summary_table

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Checker(HTMLParser):
    """Checks that every element is closed, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()


def _parse(text: str) -> _Checker:
    assert text.lstrip().startswith("<!DOCTYPE html>")
    p = _Checker()
    p.feed(text)
    p.close()
    assert p.stack == []
    return p


@pytest.fixture(scope="module")
def report(strategy_results, tmp_path_factory):
    rows = compare(strategy_results, "calendar_exit")
    path = write_report(
        tmp_path_factory.mktemp("report") / "sub" / "report.html",
        "East Timor <1999> & after",
        strategy_results,
        {"reference": "calendar_exit", "rows": rows_as_dicts(rows)},
        ["300 runs <quick>"],
        [("Extra table", "<table><tr><td>kept as HTML</td></tr></table>")],
    )
    return path, path.read_text(encoding="utf-8"), rows


def test_report_is_well_formed_and_self_contained(report):
    path, text, _ = report
    assert path.name == "report.html" and path.is_file()
    parsed = _parse(text)
    imgs = [a["src"] for tag, a in parsed.tags if tag == "img"]
    assert len(imgs) >= 4
    for src in imgs:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:4] == b"\x89PNG"
    assert not [t for t, _ in parsed.tags if t in ("script", "link", "iframe")]
    assert not re.search(r'(src|href)="(https?:)?//', text)


def test_report_shows_every_strategy_and_its_summary(report, strategy_results):
    _, text, _ = report
    assert "<td>300</td>" in text  # runs per strategy, from meta
    for name, res in strategy_results.items():
        assert f"<th scope=\"col\">{name}</th>" in text
        s = summary_table(res)
        for value in (fmt_share(s["p_peace_holds_5y"]), fmt_share(s["p_peace_holds_10y"]), fmt_share(s["share_running"]), fmt_number(s["cost_usd_m_median"])):
            assert f"<td>{value}</td>" in text


def test_report_marks_every_row_significant_not_significant_or_why_not(report):
    _, text, rows = report
    shown = [r for r in rows if not (r.metric.startswith("share exiting") and r.reference_value == 0 and r.strategy_value == 0)]
    assert text.count('<tr class="ns">') == sum(r.significant is False for r in shown)
    assert text.count('<tr class="sig">') == sum(r.significant is True for r in shown)
    assert text.count('<tr class="na">') == sum(r.significant is None for r in shown) > 0
    for r in shown:
        if r.significant is None:
            assert r.note.startswith("not computable") and r.note.replace("'", "&#39;") in text


def test_report_leads_with_the_bottom_line_and_the_fixed_windows(report):
    _, text, _ = report
    body = text[text.index("<body>") :]
    first_p = body[body.index("<p") : body.index("</p>")]
    assert 'class="bottom-line"' in first_p and "Over the first" in first_p and "binding its exit" in first_p
    h2 = re.findall(r"<h2>(.*?)</h2>", text)
    assert h2[:2] == ["Fixed windows from the mission start", "Paired comparison"]
    assert text.index("fixed window from the mission start") < text.index("after each strategy&#39;s own exit")
    for label in ("cost (US$ m), whole period: median", "battle deaths, whole period: mean", "mean cost (US$ m), years 0-5"):
        assert f"<th scope=\"row\">{label}</th>" in text


def test_report_escapes_text_and_keeps_extra_html(report):
    _, text, _ = report
    assert "<title>East Timor &lt;1999&gt; &amp; after</title>" in text
    assert "<li>300 runs &lt;quick&gt;</li>" in text
    assert "<td>kept as HTML</td>" in text
    assert text.index("Extra table") > text.rindex("<img")


def test_comparison_as_a_plain_list_of_rows(strategy_results, monkeypatch):
    for name in ("_figures", "_status_figures"):
        monkeypatch.setattr(f"endstate.report.html.{name}", lambda results: [])  # figures are tested above
    monkeypatch.setattr("endstate.report.html._region_figures", lambda results, geometry: [])
    names = list(strategy_results)[:2]
    rows = [
        {"metric": "cost (US$ m)", "reference": names[0], "strategy": names[1], "reference_value": 100.0, "strategy_value": 150.0,
         "difference": 50.0, "ci_low": 40.0, "ci_high": 60.0, "n": 300, "significant": True},
        {"metric": "P(peace holds 5y after exit)", "reference": names[0], "strategy": names[1], "reference_value": 0.5, "strategy_value": 0.52,
         "difference": 0.02, "ci_low": -0.01, "ci_high": 0.05, "n": 300, "significant": False},
    ]
    text = render_report("plain <rows>", {n: strategy_results[n] for n in names}, rows)
    _parse(text)
    assert '<tr class="sig"><td>cost (US$ m)</td><td class="stat">mean</td><td>100.0</td><td>150.0</td><td>+50.0</td><td>+40.0</td><td>+60.0</td><td class="verdict">significant</td></tr>' in text
    assert ('<tr class="ns"><td>P(peace holds 5y after exit)</td><td class="stat">share of runs</td><td>50.0%</td><td>52.0%</td><td>+2.0 pp</td>'
            '<td>-1.0 pp</td><td>+5.0 pp</td><td class="verdict">not significant</td></tr>') in text


def test_report_needs_results():
    with pytest.raises(ValueError):
        render_report("empty", {})
