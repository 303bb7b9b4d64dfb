"""Nhập dữ liệu — upload yearly figures: check, preview, confirm; history with undo; templates to fill.

Everything is done by ``metrics.ingest``; this page only draws it. Nothing is written until the analyst
confirms, and the page re-checks that the data did not change between preview and confirm.
"""

import pandas as pd
import streamlit as st

from metrics.ingest import intake, templates, text
from metrics.storage.store import VALUE_BATCH_KINDS
from metrics.vocabulary import fmt, problem_titles
from metrics.vocabulary.errors import UserError
from metrics.vocabulary.i18n import pick
from metrics.vocabulary.shared import local_times, number_or_none
from metrics.vocabulary.statuses import badge
from metrics.vocabulary.text import visible
from ui import auth, data, layout, state, warmup
from ui.texts import t
from ui.widgets import safe

WRAPPED_PROBLEMS = 50  # up to this many problems are listed with their whole message on screen
REPORT, DONE, ROUND, UNDO, ACTION = "intake_report", "intake_done", "intake_round", "intake_undo_pending", "intake_action"


def request(action: str) -> None:
    """Button callbacks only record what was asked; the page acts on it in its next run.

    A callback's effect survives a rerun, a button's one-run ``True`` does not (and the frame reruns a
    fresh server's first deep link through the entry script, see ``ui.layout``).
    """
    st.session_state[ACTION] = action


def render(view: layout.View) -> None:
    action = st.session_state.pop(ACTION, None)
    st.title(t("page_intake", view.lang))
    st.caption(t("intake_intro", view.lang))
    if my_scope():
        unit = view.card.org.any_period(my_scope())
        st.info(t("intake_scope", view.lang).format(unit=unit.name(view.lang) if unit else my_scope()),
                icon=":material/account_tree:")
    written = DONE in st.session_state  # an import, approval or undo just done (its message shown below)
    if written:
        st.success(st.session_state.pop(DONE), icon=":material/check_circle:")
    plans = list(view.card.plans)
    plan = st.selectbox(t("intake_plan", view.lang), plans, index=plans.index(view.plan), key="intake_plan",
                        format_func=lambda code: pick((view.card.plans[code]["name_vi"],
                                                       view.card.plans[code]["name_en"]), view.lang))
    upload, history, template = st.tabs([t("tab_upload", view.lang), t("tab_history", view.lang),
                                         t("tab_templates", view.lang)])
    with upload:
        upload_section(view, plan, action)
    with history:
        history_section(view, action)
    with template:
        template_section(view, plan)
    if written:  # judge the new data for the next visitors (Tổng quan, Chỉ tiêu, Đơn vị), in the background
        warmup.after_write()


# --- upload, check, preview, confirm ------------------------------------------------------------------

def upload_section(view: layout.View, plan: str, action: str | None) -> None:
    lang = view.lang
    file = st.file_uploader(t("intake_file", lang), type=["csv", "tsv", "txt", "xlsx"], help=t("intake_file_help", lang),
                            key=f"intake_file_{st.session_state.get(ROUND, 0)}")
    if file is None:
        _forget_report()
        return
    content = file.getvalue()
    try:
        sheets = intake.sheets(content)
    except UserError:  # a damaged or hostile workbook: the check below says what is wrong with it
        sheets = []
    sheet = sheet_selector(sheets, lang) if len(sheets) > 1 else None
    signature = (file.file_id, sheet, plan)
    st.button(t("intake_check", lang), type="primary", icon=":material/fact_check:", key="intake_check",
              on_click=request, args=("check",))
    if action == "check":
        _forget_report()
        with _progress(lang) as progress:
            report = intake.check(content, store=data.store(), file_name=file.name, plan=plan, sheet=sheet,
                                  progress=progress, max_bytes=upload_limit(), scope=my_scope())
        st.session_state[REPORT] = (signature, report)
    stored = st.session_state.get(REPORT)
    if stored and stored[0] == signature:
        show_report(stored[1], lang, action)
    elif stored:  # another file, sheet or plan: that check is of no use any more
        _forget_report()


def sheet_selector(sheets: list, lang: str) -> str:
    """Every sheet, hidden ones said to be hidden; the first one Excel shows is chosen to begin with."""
    hidden = {s.name for s in sheets if s.hidden}
    first = next((i for i, s in enumerate(sheets) if not s.hidden), 0)
    return st.selectbox(t("intake_sheet", lang), [s.name for s in sheets], index=first, key="intake_sheet",
                        format_func=lambda n: visible(t("intake_sheet_hidden", lang).format(sheet=n) if n in hidden else n))


def upload_limit() -> int:
    """The largest upload in bytes: Streamlit's own ``server.maxUploadSize`` (MB, .streamlit/config.toml)."""
    return int(st.get_option("server.maxUploadSize")) * 2**20


def my_scope() -> str | None:
    """The unit whose subtree the signed-in analyst imports, undoes and fills templates for (None: all)."""
    user = auth.current_user()
    return user.unit if user else None


def signed_in() -> str:
    """Who confirms: recorded with the batch and in the audit log (the page needs an analyst to be shown)."""
    user = auth.current_user()
    return user.username if user else "?"


class _progress:
    """A progress bar driven by the engine's ``progress(fraction, step)`` calls; removed when done."""

    def __init__(self, lang: str):
        self.lang = lang

    def __enter__(self):
        self.bar = st.progress(0.0, text=t("progress_reading", self.lang))
        return lambda fraction, step: self.bar.progress(min(max(fraction, 0.0), 1.0), text=t(f"progress_{step}", self.lang))

    def __exit__(self, *exc):
        self.bar.empty()


def _forget_report() -> None:
    stored = st.session_state.pop(REPORT, None)
    if stored:
        stored[1].close()


def show_report(report: intake.Report, lang: str, action: str | None) -> None:
    st.caption(safe(text.describe(report, lang)))
    counts = report.counts
    for column, key in zip(st.columns(5), ("created", "updated", "annotated", "unchanged", "rejected")):
        column.metric(t(f"count_{key}", lang), fmt.number(counts[key], lang))
    if counts.get("skipped"):
        st.caption(t("intake_skipped", lang).format(rows=fmt.number(counts["skipped"], lang)))
    if not report.ok:
        st.error(t("intake_rejected", lang).format(errors=fmt.number(report.error_count, lang)), icon=":material/block:")
        problems(report, lang)
        if report.can_annotate:
            st.download_button(t("intake_download_errors", lang), data=lambda: report.annotated(lang)[1],
                               file_name=report.annotated_name(lang), icon=":material/download:",
                               key="intake_download_errors", on_click="ignore")
        return
    if report.problems:
        st.subheader(t("intake_warnings_title", lang))
        problem_list(report, lang)
    if report.to_write == 0:
        st.info(t("intake_nothing", lang))
        return
    st.success(t("intake_ok", lang), icon=":material/check:")
    changes(report, lang)
    statuses(report, lang)
    st.button(t("intake_confirm", lang).format(count=fmt.number(report.to_write, lang)), type="primary",
              icon=":material/save:", key="intake_confirm", on_click=request, args=("confirm",))
    if action == "confirm":
        confirm(report, lang)


def problems(report: intake.Report, lang: str) -> None:
    st.subheader(t("intake_counts_title", lang))
    counts = pd.DataFrame([{t("col_code", lang): problem_titles.title(code, lang), t("col_count", lang): n}
                           for code, n in report.counts_by_code.items()])
    st.dataframe(counts, hide_index=True)
    st.subheader(t("intake_problems_title", lang))
    problem_list(report, lang)
    if report.truncated:
        st.caption(t("intake_truncated", lang).format(shown=fmt.number(len(report.problems), lang)))


def problem_list(report: intake.Report, lang: str) -> None:
    """A short list as a table whose messages wrap (file text escaped); a long one as a scrolling grid."""
    frame = _problem_frame(report, lang)
    if len(frame) <= WRAPPED_PROBLEMS:
        st.table(frame.map(lambda v: "" if v is None or v != v else safe(v)), hide_index=True)
    else:
        st.dataframe(frame, hide_index=True,
                     column_config={t("col_message", lang): st.column_config.TextColumn(width="large")})


def _problem_frame(report: intake.Report, lang: str) -> pd.DataFrame:
    return pd.DataFrame([{
        t("col_row", lang): p.row, t("unit", lang): p.unit, t("col_indicator", lang): p.indicator,
        t("col_column", lang): p.column, t("col_value", lang): p.value_in(lang),
        t("col_code", lang): problem_titles.title(p.code, lang), t("col_severity", lang): t(f"severity_{p.severity}", lang),
        t("col_message", lang): p.message(lang)} for p in report.problems])


def changes(report: intake.Report, lang: str) -> None:
    """Two lists: the figures that change (old → new), and the sources and notes that change."""
    frame = report.changes
    names = pd.DataFrame({
        t("col_row", lang): frame["row"],
        t("unit", lang): frame["unit_name_vi" if lang == "vi" else "unit_name_en"].fillna(frame["unit"]),
        t("col_indicator", lang): frame["indicator_name_vi" if lang == "vi" else "indicator_name_en"],
        t("year", lang): frame["year"].astype(str)})
    figures = frame["change"].isin(["created", "updated"])
    if figures.any():
        st.subheader(t("intake_changes_title", lang))
        st.dataframe(names[figures].assign(**{
            t("col_old", lang): _figures(frame["old"], frame, figures, lang),
            t("col_new", lang): _figures(frame["new"], frame, figures, lang),
            t("col_change", lang): [t(f"count_{c}", lang) for c in frame["change"][figures]]}), hide_index=True)
        _more(int(figures.sum()), report.counts["created"] + report.counts["updated"], lang)
    texts = frame["texts_changed"].astype(bool)
    if texts.any():
        st.subheader(t("intake_texts_title", lang))
        st.dataframe(names[texts].assign(**{
            t("col_old_source", lang): frame["old_source"][texts], t("col_new_source", lang): frame["new_source"][texts],
            t("col_old_note", lang): frame["old_note"][texts], t("col_new_note", lang): frame["new_note"][texts]}),
            hide_index=True)


def _figure(value, kind: str, decimals, lang: str) -> str:
    """A figure as every view writes it, with its indicator's decimals (11,75 tỷ đồng)."""
    return fmt.shown(number_or_none(value), {"kind": kind, "decimals": decimals}, lang)


def _figures(values: pd.Series, frame: pd.DataFrame, chosen: pd.Series, lang: str) -> list[str]:
    return [_figure(v, k, d, lang) for v, k, d in zip(values[chosen], frame["kind"][chosen], frame["decimals"][chosen])]


def _more(shown: int, total: int, lang: str) -> None:
    if total > shown:
        st.caption(t("intake_changes_more", lang).format(shown=fmt.number(shown, lang), total=fmt.number(total, lang)))


def statuses(report: intake.Report, lang: str) -> None:
    st.subheader(t("intake_status_title", lang))
    frame = report.status_changes
    if not report.statuses_judged:
        st.caption(safe(text.status_lines(report, lang)[0]))
        return
    if frame.empty:
        st.caption(t("intake_no_status_change", lang))
        return
    status_table(frame, lang)


def status_table(frame: pd.DataFrame, lang: str) -> None:
    """Targets whose value or status changes: old → new (the import's preview, the undo's)."""
    st.dataframe(pd.DataFrame({
        t("col_target", lang): [f"{c} · {pick((vi, en), lang)}" for c, vi, en in
                                zip(frame["target"], frame["label_vi"], frame["label_en"])],
        t("year", lang): frame["year"].astype(str),
        t("col_values", lang): [f"{_figure(a, k, d, lang)} → {_figure(b, k, d, lang)}" for a, b, k, d in
                                zip(frame["old_value"], frame["new_value"], frame["kind"], frame["decimals"])],
        t("col_status", lang): [f"{badge(a, lang)} → {badge(b, lang)}"
                                for a, b in zip(frame["old_status"], frame["new_status"])],
    }), hide_index=True)




def confirm(report: intake.Report, lang: str) -> None:
    try:
        with _progress(lang) as progress:
            result = intake.commit(data.store(), report, user=signed_in(), progress=progress, source="web",
                                   scope=my_scope())
    except UserError as exc:
        st.error(safe(exc.message(lang)))
        return
    st.session_state.pop(REPORT, None)
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1  # a fresh, empty uploader
    st.session_state[DONE] = t("intake_done", lang).format(batch=result.batch, count=fmt.number(result.written, lang))
    st.rerun()


# --- history and undo ---------------------------------------------------------------------------------

def history_section(view: layout.View, action: str | None) -> None:
    lang = view.lang
    batches = data.store().batches()
    batches = batches[batches["kind"].isin(VALUE_BATCH_KINDS)].sort_values("id", ascending=False)
    if batches.empty:
        st.info(t("history_empty", lang))
        return
    st.dataframe(pd.DataFrame({
        t("col_batch", lang): batches["id"].map(lambda b: f"#{b}"),
        t("col_time", lang): batches["created_at"].map(lambda d: _local_time(d, lang)),
        t("col_file", lang): batches["file_name"].fillna(""),
        t("col_rows", lang): batches["rows"].map(lambda n: fmt.number(n, lang)),
        t("col_user", lang): batches["user_name"].fillna(""),
        t("col_state", lang): batches["rolled_back_by"].map(
            lambda by: t("state_active", lang) if pd.isna(by) else t("state_rolled_back", lang).format(by=int(by))),
        t("col_approval", lang): [approval_text(a, by, lang) for a, by in zip(batches["approved_at"],
                                                                             batches["approved_by"])],
    }), hide_index=True)
    labels = {int(b.id): f"#{b.id} · {b.file_name or b.kind}" for b in batches.itertuples()}
    chosen = st.selectbox(t("history_choose", lang), list(labels), format_func=labels.get,
                          key=f"intake_history_batch_{max(labels)}")  # a new batch is chosen when it appears
    st.page_link("views/overview.py", label=t("history_view_as_of", lang).format(batch=chosen),
                 icon=":material/history:", query_params={state.AS_OF: str(chosen)})
    row = batches[batches["id"] == chosen].iloc[0]
    if pd.isna(row["rolled_back_by"]):
        if pd.isna(row["approved_at"]):
            approve(row, lang, action)
        undo(row, view, action)


def approval_text(approved_at, by, lang: str) -> str:
    """``✓ Đã duyệt (lan)`` or ``◐ Tạm tính (chưa duyệt)``: a symbol and words, never a colour alone."""
    if pd.isna(approved_at):
        return t("approval_provisional", lang)
    return t("approval_approved", lang).format(by=by if isinstance(by, str) and by else "—")


def my_role() -> str | None:
    user = auth.current_user()
    return user.role if user else None


def approve(row: pd.Series, lang: str, action: str | None) -> None:
    """The approve button, for an approver or an administrator; to an analyst, who may approve it."""
    batch = int(row["id"])
    if not auth.may(auth.current_user(), "approver"):
        st.caption(t("approve_needs_role", lang).format(batch=batch))
        return
    if action == "approve":
        try:
            intake.approve(data.store(), batch, user=signed_in(), source="web", role=my_role())
        except UserError as exc:
            st.error(safe(exc.message(lang)))
            return
        st.session_state[DONE] = t("approve_done", lang).format(batch=batch)
        st.rerun()
    st.button(t("approve_button", lang).format(batch=batch), type="primary", icon=":material/verified:",
              key="intake_approve", on_click=request, args=("approve",))


def _local_time(moment: pd.Timestamp, lang: str) -> str:
    """Batch times are stored in UTC; people read them in Vietnam's time."""
    local = local_times(moment)
    return f"{fmt.date(local, lang)} {local:%H:%M}"


def undo(row: pd.Series, view: layout.View, action: str | None) -> None:
    lang, batch = view.lang, int(row["id"])
    if not pd.isna(row["approved_at"]) and not auth.may(auth.current_user(), "approver"):
        st.caption(t("undo_needs_approver", lang).format(batch=batch))
        return
    if st.session_state.get(UNDO) != batch:
        st.button(t("undo_button", lang).format(batch=batch), icon=":material/undo:", key="intake_undo",
                  on_click=lambda: st.session_state.update({UNDO: batch}))
        return
    if action == "undo":
        st.session_state.pop(UNDO, None)
        try:
            intake.undo(data.store(), batch, user=signed_in(), source="web", scope=my_scope(), role=my_role())
        except UserError as exc:
            st.error(safe(exc.message(lang)))
            return
        st.session_state[DONE] = t("undo_done", lang).format(batch=batch)
        st.rerun()
    st.warning(t("undo_question", lang).format(batch=batch, file=safe(row["file_name"] or row["kind"]),
                                               rows=fmt.number(row["rows"], lang)), icon=":material/warning:")
    undo_statuses(batch, view)
    yes, no = st.columns(2)
    yes.button(t("undo_confirm", lang), type="primary", key="intake_undo_confirm", on_click=request, args=("undo",))
    no.button(t("cancel", lang), key="intake_undo_cancel", on_click=lambda: st.session_state.pop(UNDO, None))


def undo_statuses(batch: int, view: layout.View) -> None:
    """Which targets' statuses the undo would change (the plan in the sidebar, for its own unit)."""
    lang = view.lang
    frame = intake.undo_status_changes(data.store(), batch, view.plan)
    st.markdown(f"**{t('undo_status_title', lang)}**")
    if frame.empty:
        st.caption(t("undo_no_status_change", lang))
        return
    status_table(frame, lang)


# --- templates ----------------------------------------------------------------------------------------

def _allowed(view: layout.View, year: int) -> set[str] | None:
    scope = my_scope()
    return {scope, *view.card.org.descendants(scope, year)} if scope else None


def template_section(view: layout.View, plan: str) -> None:
    lang = view.lang
    st.caption(t("template_intro", lang))
    info = view.card.plans[plan]
    years = list(range(int(info["start_year"]), view.card.last_year(plan) + 1))  # (to the merger, for an ended plan)
    year = st.selectbox(t("template_year", lang), years, key="intake_template_year",
                        index=years.index(view.year) if view.year in years else 0)
    tree = view.card.org.tree(year)  # the units that report that year (before a merger: the units it joined)
    allowed = _allowed(view, year)
    units = {u.code: u.name(lang) for u in view.card.units_for(plan, year)
             if u.code in tree and (allowed is None or u.code in allowed)}
    chosen = st.multiselect(t("template_units", lang), list(units), format_func=units.get, key="intake_template_units",
                            placeholder=t("template_units_placeholder", lang))
    filled = st.toggle(t("template_filled", lang), key="intake_template_filled", help=t("template_filled_help", lang))
    frame, csv = data.template(plan, year, chosen, lang, filled, within=my_scope())
    st.caption(t("template_rows", lang).format(rows=fmt.number(len(frame), lang)))
    stem = (f"mau-nhap-{plan}-{year}" if lang == "vi" else f"template-{plan}-{year}") + ("-da-dien" if filled else "")
    csv_column, xlsx_column = st.columns(2)
    csv_column.download_button(t("template_csv", lang), data=csv, file_name=f"{stem}.csv",
                               mime="text/csv", icon=":material/download:", key="intake_template_csv", on_click="ignore")
    xlsx_column.download_button(
        t("template_xlsx", lang), data=lambda: templates.as_xlsx(frame, lang), file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:",
        key="intake_template_xlsx", on_click="ignore")


layout.run(render, "page_intake", role="analyst")
