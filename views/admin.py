"""Quản trị — users and roles, the audit log, plans and targets, reporting deadlines, a backup of everything.
Administrators only.

Every change goes through ``metrics.storage.users``, ``metrics.catalogue.loading`` and ``metrics.backup``, which write
the audit log; buttons act through callbacks (their effect survives a rerun), and the page shows what
the callback did.
"""

import datetime as dt
import logging
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from metrics import backup
from metrics.catalogue import deadlines as deadline_files
from metrics.catalogue.loading import load_targets
from metrics.judging import audit_words
from metrics.storage import audit, deadlines, users
from metrics.vocabulary import fmt, problem_titles
from metrics.vocabulary.errors import UserError
from metrics.vocabulary.i18n import pick
from metrics.vocabulary.problems import to_frame
from metrics.vocabulary.shared import LOCAL_ZONE, local_times
from ui import auth, data, layout, widgets
from ui.texts import t
from ui.widgets import safe

log = logging.getLogger("dashboard")
OUTCOME, TARGETS = "admin_outcome", "admin_targets_result"  # (kind, message) of the last action; checked files


def render(view: layout.View) -> None:
    lang = view.lang
    st.title(t("page_admin", lang))
    st.caption(t("admin_intro", lang))
    kind, message = st.session_state.pop(OUTCOME, (None, None))
    if kind:
        getattr(st, kind)(safe(message))
    people, log_tab, targets, due, saving = st.tabs([t("tab_users", lang), t("tab_audit", lang), t("tab_targets", lang),
                                                     t("tab_deadlines", lang), t("tab_backup", lang)])
    with people:
        users_section(lang)
    with log_tab:
        audit_section(lang)
    with targets:
        targets_section(lang)
    with due:
        deadlines_section(lang)
    with saving:
        backup_section(lang)


def me() -> str:
    user = auth.current_user()
    return user.username if user else "?"


def act(work, done) -> None:
    """Run a change in a button's callback; keep what happened (``done``: words, or words made from what
    ``work`` returned), or why nothing happened, for the page to say."""
    try:
        result = work()
    except UserError as exc:
        st.session_state[OUTCOME] = ("error", exc.message(st.session_state.get("lang", "vi")))
        return
    st.session_state[OUTCOME] = ("success", done(result) if callable(done) else done)


def _local(moments: pd.Series) -> pd.Series:
    return local_times(moments).dt.strftime("%d/%m/%Y %H:%M")


# --- users ------------------------------------------------------------------------------------------

def users_section(lang: str) -> None:
    store = data.store()
    found = users.listing(store)
    st.dataframe(pd.DataFrame({
        t("col_username", lang): found["username"], t("col_display_name", lang): found["display_name"],
        t("col_role", lang): found["role"].map(lambda r: users.role_label(r, lang)),
        t("col_scope", lang): found["unit"].map(lambda u: scope_label(u, lang)),
        t("col_active", lang): found["active"], t("col_created", lang): _local(found["created_at"]),
        t("col_updated", lang): _local(found["updated_at"])}), hide_index=True)
    left, right = st.columns(2, gap="large")
    with left:
        add_form(lang)
    with right:
        if not found.empty:
            change_form(list(found["username"]), lang)


def add_form(lang: str) -> None:
    with st.form("admin_add_user", clear_on_submit=True):
        st.subheader(t("user_add_title", lang))
        st.text_input(t("col_username", lang), key="admin_new_username", max_chars=40)
        st.text_input(t("col_display_name", lang), key="admin_new_name", max_chars=100)
        st.selectbox(t("col_role", lang), users.ROLES, key="admin_new_role", format_func=lambda r: users.role_label(r, lang))
        st.selectbox(t("col_scope", lang), scope_choices(), key="admin_new_scope", help=t("user_scope_help", lang),
                     format_func=lambda u: scope_label(u, lang))
        st.text_input(t("sign_in_password", lang), type="password", key="admin_new_password",
                      help=t("user_password_help", lang))
        st.text_input(t("user_password_repeat", lang), type="password", key="admin_new_password2")
        st.form_submit_button(t("user_add_button", lang), type="primary", on_click=_add, args=(lang,))


def _add(lang: str) -> None:
    s = st.session_state
    if s.get("admin_new_password") != s.get("admin_new_password2"):
        s[OUTCOME] = ("error", t("passwords_differ", lang))
        return
    name, role = (s.get("admin_new_username") or "").strip().lower(), s.get("admin_new_role")
    act(lambda: users.add(data.store(), s.get("admin_new_username") or "", s.get("admin_new_name") or "", role,
                          s.get("admin_new_password") or "", by=me(), unit=s.get("admin_new_scope")),
        t("user_added", lang).format(username=name, role=users.role_label(role, lang)))


def change_form(names: list[str], lang: str) -> None:
    st.subheader(t("user_change_title", lang))
    chosen = st.selectbox(t("user_choose", lang), names, key="admin_user")
    user = users.get(data.store(), chosen)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.selectbox(t("col_role", lang), users.ROLES, index=users.ROLES.index(user.role), key="admin_role",
                     format_func=lambda r: users.role_label(r, lang))
        st.button(t("user_role_button", lang), key="admin_role_button", on_click=lambda: act(
            lambda: users.set_role(data.store(), chosen, st.session_state["admin_role"], by=me()),
            t("user_role_done", lang).format(username=chosen,
                                             role=users.role_label(st.session_state["admin_role"], lang))))
    with st.container(horizontal=True, vertical_alignment="bottom"):
        choices = scope_choices()
        st.selectbox(t("col_scope", lang), choices, key="admin_scope", help=t("user_scope_help", lang),
                     index=choices.index(user.unit) if user.unit in choices else 0,
                     format_func=lambda u: scope_label(u, lang))
        st.button(t("user_scope_button", lang), key="admin_scope_button", on_click=lambda: act(
            lambda: users.set_scope(data.store(), chosen, st.session_state["admin_scope"], by=me()),
            t("user_scope_done", lang).format(username=chosen, scope=scope_label(st.session_state["admin_scope"], lang))))
    with st.form("admin_password", clear_on_submit=True):
        st.caption(t("user_password_title", lang))
        st.text_input(t("sign_in_password", lang), type="password", key="admin_password1", help=t("user_password_help", lang))
        st.text_input(t("user_password_repeat", lang), type="password", key="admin_password2")
        st.form_submit_button(t("user_password_button", lang), on_click=_reset, args=(chosen, lang))
    if user.active:
        st.button(t("user_deactivate_button", lang), key="admin_deactivate", icon=":material/lock:", on_click=lambda: act(
            lambda: users.deactivate(data.store(), chosen, by=me()), t("user_deactivated", lang).format(username=chosen)))
    else:
        st.button(t("user_activate_button", lang), key="admin_activate", icon=":material/lock_open:", on_click=lambda: act(
            lambda: users.activate(data.store(), chosen, by=me()), t("user_activated", lang).format(username=chosen)))


def scope_choices() -> list[str | None]:
    """No scope (the whole federation), then the province and upper-level unions of this year, by name."""
    card = data.scorecard()
    tree = card.org.tree(pd.Timestamp.now(tz=LOCAL_ZONE).year)
    units = sorted((u for u in tree.values() if u.level in ("province", "upper")), key=lambda u: u.sort_key("vi"))
    return [None, *(u.code for u in units)]


def scope_label(code, lang: str) -> str:
    if not isinstance(code, str) or not code:
        return t("scope_everything", lang)
    unit = data.scorecard().org.any_period(code)
    return unit.name(lang) if unit else code


def _reset(username: str, lang: str) -> None:
    s = st.session_state
    if s.get("admin_password1") != s.get("admin_password2"):
        s[OUTCOME] = ("error", t("passwords_differ", lang))
        return
    act(lambda: users.reset_password(data.store(), username, s.get("admin_password1") or "", by=me()),
        t("user_password_done", lang).format(username=username))


# --- audit log --------------------------------------------------------------------------------------

def audit_section(lang: str) -> None:
    store = data.store()
    people = [u for (u,) in store.rows("SELECT DISTINCT user_name FROM audit WHERE user_name IS NOT NULL ORDER BY 1")]
    who_column, what_column, when_column = st.columns([1, 2, 1])
    who = who_column.selectbox(t("audit_filter_user", lang), [None, *people], key="admin_audit_user",
                               format_func=lambda u: t("audit_everyone", lang) if u is None else u)
    actions = what_column.multiselect(t("audit_filter_actions", lang), list(audit.ACTIONS), key="admin_audit_actions",
                                      format_func=lambda a: pick(audit.ACTIONS[a], lang),
                                      placeholder=t("audit_all_actions", lang))
    today = dt.date.today()
    period = when_column.date_input(t("audit_filter_period", lang), (today - dt.timedelta(days=30), today),
                                    key="admin_audit_period", format="DD/MM/YYYY")
    since, until = (period[0], period[1]) if isinstance(period, tuple) and len(period) == 2 else (None, None)
    found = audit.entries(store, user=who, actions=actions or None, since=since, until=until)
    st.caption(t("audit_shown", lang).format(count=len(found)))
    frame = pd.DataFrame({
        t("col_time", lang): _local(found["happened_at"]), t("audit_filter_user", lang): found["user_name"].fillna(""),
        t("col_action", lang): found["action"].map(lambda a: pick(audit.ACTIONS.get(a, (a, a)), lang)),
        t("col_detail", lang): [audit_words.words(a, d, lang) for a, d in zip(found["action"], found["detail"])],
        t("col_source", lang): found["source"].map(lambda s: t(f"source_{s}", lang))})
    widgets.table(frame, lang, "audit", "nhat-ky" if lang == "vi" else "audit-log", hide_index=True)


# --- plans and targets -------------------------------------------------------------------------------

def targets_section(lang: str) -> None:
    st.caption(t("targets_intro", lang))
    files = st.file_uploader(t("targets_files", lang), type=["csv", "xlsx"], accept_multiple_files=True,
                             key="admin_targets_files")
    if not files:
        st.session_state.pop(TARGETS, None)
        return
    replace = st.checkbox(t("targets_replace", lang), key="admin_targets_replace")
    signature = (tuple(f.file_id for f in files), replace)
    st.button(t("targets_check", lang), key="admin_targets_check", icon=":material/fact_check:",
              on_click=lambda: st.session_state.update({TARGETS: (signature, _load(files, replace, dry_run=True))}))
    stored = st.session_state.get(TARGETS)
    if not stored or stored[0] != signature or stored[1] is None:
        return
    result = stored[1]
    if not result.ok:
        st.error(t("targets_rejected", lang))
        problems_table(result.problems, lang)
        return
    st.success(t("targets_ok", lang))
    warnings = [p for p in result.problems if p.severity == "warning"]
    if warnings:
        st.warning(t("targets_warnings", lang))
        problems_table(warnings, lang)
    st.text("\n".join(result.preview.lines(lang)))  # plain text: names from the files are never interpreted
    st.button(t("targets_confirm", lang), type="primary", key="admin_targets_confirm", on_click=_confirm,
              args=(files, replace, lang))


def problems_table(problems, lang: str) -> None:
    st.dataframe(problem_titles.frame(to_frame(problems), lang, t), hide_index=True)  # in words, not codes


def _load(files, replace: bool, dry_run: bool, by: str | None = None):
    """Save the uploads under their own names (the loader recognises files by their columns) and load them."""
    folder = Path(tempfile.mkdtemp(prefix="kpi-targets-"))
    try:
        paths = []
        for index, upload in enumerate(files):
            path = folder / str(index) / Path(upload.name).name  # problems name the file as the user knows it
            path.parent.mkdir()
            path.write_bytes(upload.getvalue())
            paths.append(path)
        return load_targets(data.store(), paths, dry_run=dry_run, replace=replace, by=by, source="web")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _confirm(files, replace: bool, lang: str) -> None:
    def work() -> str:
        result = _load(files, replace, dry_run=False, by=me())  # audited in the same transaction
        if not result.ok:  # the files changed meaning since the check (another admin loaded something)
            raise UserError("targets-have-errors", t("targets_rejected", "vi"), t("targets_rejected", "en"))
        st.session_state.pop(TARGETS, None)
        return ", ".join(f"{k}: {v}" for k, v in result.counts.items())

    act(work, lambda counts: t("targets_done", lang).format(counts=counts))


# --- reporting deadlines ----------------------------------------------------------------------------

def deadlines_section(lang: str) -> None:
    st.caption(t("deadlines_intro", lang))
    store = data.store()
    found = deadlines.deadlines(store)
    if found:
        st.dataframe(pd.DataFrame({
            t("plan", lang): [p for p, *_ in found], t("deadline_year", lang): [y for _, y, *_ in found],
            t("deadline_date", lang): [fmt.date(d, lang) for _, _, d, *_ in found],
            t("note", lang): [n or "" for *_, n, _ in found], t("col_set_by", lang): [b or "" for *_, b in found]}),
            hide_index=True)
    else:
        st.info(t("deadlines_none", lang))
    plans = list(store.plans()["code"])
    if not plans:
        return
    with st.form("admin_deadline", border=True):
        plan_column, year_column, date_column = st.columns([2, 1, 1])
        plan_column.selectbox(t("plan", lang), plans, key="admin_deadline_plan")
        year_column.number_input(t("deadline_year", lang), min_value=1900, max_value=2200, step=1,
                                 value=dt.date.today().year - 1, key="admin_deadline_year")
        date_column.date_input(t("deadline_date", lang), dt.date(dt.date.today().year, 1, 15),
                               key="admin_deadline_date", format="DD/MM/YYYY")
        st.text_input(t("deadline_note", lang), key="admin_deadline_note")
        st.form_submit_button(t("deadline_set", lang), type="primary", on_click=_set_deadline, args=(lang,))


def _set_deadline(lang: str) -> None:
    s = st.session_state
    plan, year, due = s.get("admin_deadline_plan"), int(s.get("admin_deadline_year") or 0), s.get("admin_deadline_date")
    if not isinstance(due, dt.date):  # the date was cleared
        s[OUTCOME] = ("error", t("deadline_missing", lang))
        return
    act(lambda: deadline_files.set_one(data.store(), plan, year, due, note=s.get("admin_deadline_note") or None, by=me(),
                                       source="web"),
        t("deadline_done", lang).format(plan=plan, year=year, date=fmt.date(due, lang)))


# --- backup -----------------------------------------------------------------------------------------

def backup_section(lang: str) -> None:
    st.caption(t("backup_intro", lang))
    who = auth.current_user()  # the file is made later, outside this run, where no session can be read
    st.download_button(t("backup_download", lang), data=lambda: backup_for(who.username, who.session_version),
                       file_name=f"kpi-backup-{dt.date.today():%Y-%m-%d}.zip", mime="application/zip",
                       icon=":material/download:", key="admin_backup", on_click="ignore")


def backup_for(username: str, version: str | None) -> bytes:
    """The backup, made when the button is clicked: only for an administrator still signed in as such
    then (every password hash is in it), and audited under their name."""
    if not auth.still_may(username, version, "admin"):
        log.warning("Backup refused: %s is no longer a signed-in administrator", username)
        raise UserError("not-allowed", t("backup_refused", "vi"), t("backup_refused", "en"))
    return backup.backup_zip(data.store(), user=username, source="web")


layout.run(render, "page_admin", role="admin", frame=False)
