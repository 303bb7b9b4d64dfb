"""The fixed state of the data a presentation or report is built on: an import batch and its date.

"Số liệu đến ngày 15/11/2026, đợt nhập #12": the state right after batch 12, which can be shown again
later, unchanged, whatever is imported after it (``Store.observations(as_of=12)``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from metrics.storage.store import Store
from metrics.vocabulary import fmt
from metrics.vocabulary.errors import UserError
from metrics.vocabulary.i18n import PROVISIONAL_MARK
from metrics.vocabulary.shared import local_times


@dataclass(frozen=True)
class Pinned:
    """An import batch (or the rollback after it) as a presentation states it."""

    batch: int | None  # None: the database holds no batch at all
    created: dt.datetime | None = None  # local time (Asia/Ho_Chi_Minh)
    kind: str = "import"  # a value batch kind, or ``rollback``
    reverts: int | None = None  # for a rollback: the batch it undid
    approved_only: bool = False  # batches not yet approved are left out (every export's default, when there are any)
    provisional: tuple[int, ...] = ()  # batches in force, not yet approved: left out, or shown marked

    @property
    def as_of(self) -> int | None:
        """What ``Scorecard(store, as_of=...)`` takes."""
        return self.batch

    def line(self, lang: str = "vi") -> str:
        """``Số liệu đến ngày 15/11/2026, đợt nhập #12``."""
        if self.batch is None or self.created is None:  # a batch always has its time
            return "Chưa có đợt nhập số liệu nào" if lang == "vi" else "No figures have been imported yet"
        day = fmt.date(self.created, lang)
        if self.kind == "rollback":
            if lang == "vi":
                return (f"Số liệu đến ngày {day}, sau thao tác #{self.batch} (hoàn tác đợt nhập #{self.reverts})"
                        f"{self.approval_words(lang)}")
            return (f"Figures as of {day}, after operation #{self.batch} (undoing import #{self.reverts})"
                    f"{self.approval_words(lang)}")
        if lang == "vi":
            return f"Số liệu đến ngày {day}, đợt nhập #{self.batch}{self.approval_words(lang)}"
        return f"Figures as of {day}, import #{self.batch}{self.approval_words(lang)}"

    def approval_words(self, lang: str = "vi") -> str:
        """Which figures: `` · chỉ số liệu đã duyệt (không gồm đợt tạm tính #4)`` or `` · gồm số liệu ◐ tạm tính
        (đợt #4, chưa duyệt)``; nothing to say when every batch in force is approved."""
        listed = ", ".join(f"#{b}" for b in self.provisional)
        if not self.provisional:  # every figure is approved: nothing to tell apart
            return ""
        if self.approved_only:
            return (f" · chỉ số liệu đã duyệt (không gồm đợt tạm tính {listed})" if lang == "vi"
                    else f" · approved figures only (leaving out provisional batch {listed})")
        return (f" · gồm số liệu {PROVISIONAL_MARK} tạm tính (đợt {listed}, chưa duyệt)" if lang == "vi"
                else f" · including {PROVISIONAL_MARK} provisional figures (batch {listed}, not approved)")

    def timestamp(self) -> dt.datetime:
        """A fixed moment for file metadata, so the same batch always gives the same bytes."""
        if self.created is None:
            return dt.datetime(2000, 1, 1)
        return self.created.replace(tzinfo=None, microsecond=0)


def batches(store: Store, listed: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every batch (imports and rollbacks), newest first, with its local time; ``listed``: the store's batches
    table when the caller has read it already (a page keeps it per data version)."""
    found = (store.batches() if listed is None else listed).sort_values("id", ascending=False)
    return found.assign(local_time=[_local(t) for t in found["created_at"]])


def pin(store: Store, as_of: int | None = None, provisional: bool = False,
        listed: pd.DataFrame | None = None) -> Pinned:
    """The batch ``as_of``; for ``None`` ("latest") the newest batch, so the data in force now.

    The newest batch may be a rollback: pinning it keeps the undone import out. A rolled-back import
    can still be pinned: that is the data as they were right after it. A state is pinned approved only (each
    cell as its newest approved batch then in force left it) unless ``provisional`` (include the batches not
    yet approved, marked): the same for the newest batch and an earlier one, so a presentation pinned at the
    start keeps its figures when an import arrives during it. ``listed``: as for ``batches``.
    """
    live = batches(store, listed)
    found = live
    if as_of is not None:
        found = found[found["id"] == int(as_of)]
        if found.empty:
            known = ", ".join(f"#{b}" for b in sorted(live.loc[live["kind"] != "rollback", "id"])) or "—"
            raise UserError("unknown-batch",
                            f"Không có đợt nhập số {as_of}. Các đợt nhập hiện có: {known} "
                            "(xem: python -m metrics history).",
                            f"There is no import batch {as_of}. Known batches: {known} "
                            "(see: python -m metrics history).")
    if found.empty:
        return Pinned(None)
    chosen = found.iloc[0]
    reverts = chosen["reverts"]
    created = chosen["local_time"]
    waiting = tuple(store.waiting(int(chosen["id"])))
    return Pinned(int(chosen["id"]), None if created is None else pd.Timestamp(created).to_pydatetime(),
                  str(chosen["kind"]),
                  None if pd.isna(reverts) else int(reverts), approved_only=not provisional and bool(waiting),
                  provisional=waiting)


def _local(value) -> dt.datetime | None:
    if value is None or pd.isna(value):
        return None
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    return local_times(stamp).to_pydatetime()
