"""Users, logins, bulletin approval and the audit trail in the database.

A mixin of :class:`scheduler.persistence.db.Database`. The audit trail and the role checks
hang on the ORM session (``before_flush``, ``do_orm_execute``, ``before_commit``), so every
write that matters is recorded and checked in its own transaction, whichever method (today's
or a future one, from the command line or the window) made it. Who acts is ``Database.actor``
(set by :meth:`PeopleStore.login`); the playout process acts as ``system`` and writes nothing
that needs a role.

Single-user setup: while no user exists, everything is allowed, done as ``system``, and new or
edited bulletins are approved by ``system`` at once (a station without users has nobody who
could approve). The first user (who must be an admin) switches enforcement on.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from media.errors import LoaxaError
from scheduler import people
from scheduler.people import SYSTEM, Actor, Role
from scheduler.persistence.models import (
    AudioAssetRow,
    AuditEventRow,
    BulletinRow,
    CampaignRow,
    EmergencyRow,
    LogEntryRow,
    OccurrenceChangeRow,
    QuietHoursRow,
    SeriesRow,
    SessionRow,
    StationRow,
    UserRow,
)
from scheduler.timeutil import format_local, utc_now

ANY_USER = frozenset(people.Role)
OPERATOR = frozenset({Role.OPERATOR})
APPROVER = frozenset({Role.APPROVER})
ADMIN = frozenset({Role.ADMIN})

# Who may do what (while enforcement is on). None: anybody, the system included.
ACTION_ROLES: dict[str, frozenset[Role] | None] = {
    "bulletin_added": OPERATOR, "bulletin_changed": OPERATOR,
    "bulletin_approved": APPROVER, "bulletin_unapproved": APPROVER,
    "series_added": OPERATOR, "series_changed": OPERATOR,
    "oneoff_added": OPERATOR, "oneoff_changed": OPERATOR, "oneoff_cancelled": OPERATOR,
    "occurrence_changed": OPERATOR, "campaign_added": OPERATOR, "campaign_changed": OPERATOR,
    "quiet_hours_set": OPERATOR, "audio_added": OPERATOR, "station_jingle_set": OPERATOR,
    "emergency_triggered": ANY_USER, "emergency_cancelled": ANY_USER,
    "station_changed": ADMIN, "settings_changed": ADMIN, "station_key_set": None,
    "station_key_replaced": ADMIN,
    "log_exported": ANY_USER, "log_corrected": frozenset({Role.APPROVER, Role.ADMIN}),
    "user_added": ADMIN, "user_roles_changed": ADMIN, "user_disabled": ADMIN,
    "user_enabled": ADMIN, "user_pin_reset": ADMIN, "user_pin_changed": None,
    "login": None, "login_failed": None, "user_locked": None,
    "audit_exported": frozenset({Role.APPROVER, Role.ADMIN}),
    "logout": None, "lexicon_changed": OPERATOR,
    # at the centre: which key's packages count as a commune's log is an admin's decision
    "centre_station_registered": ADMIN,
}

_BULLETIN_FIELDS = ("title", "body", "level", "category", "document_ref", "issuing_body",
                    "valid_from", "valid_until", "priority_rank")
_STATION_FIELDS = ("commune_name", "admin_code", "centre_name")


@dataclass(frozen=True)
class User:
    id: int
    name: str
    full_name: str
    roles: frozenset[Role]
    enabled: bool
    failed_logins: int
    locked_until: datetime | None
    last_login_at: datetime | None
    created_at: datetime

    def locked(self, now: datetime) -> bool:
        return people.is_locked(self.locked_until, now)


@dataclass(frozen=True)
class AuditEvent:
    id: int
    at: datetime
    actor: str
    action: str
    target: str
    details: dict[str, Any] = field(default_factory=dict)


def _user(row: UserRow) -> User:
    return User(row.id, row.name, row.full_name, people.parse_roles(row.roles), row.enabled,
                row.failed_logins, row.locked_until, row.last_login_at, row.created_at)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def is_approved(row: BulletinRow) -> bool:
    """Approved, and for the level and text it has now."""
    return row.approved_at is not None and row.approved_sha256 == \
        people.approval_fingerprint(row.level, row.body)


def _changes(obj: Any, names: Iterable[str]) -> dict[str, list[Any]]:
    """{attribute: [old, new]} of the attributes that changed in this flush."""
    state = inspect(obj)
    found = {}
    for name in names:
        history = state.attrs[name].history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                found[name] = [_json_value(old), _json_value(new)]
    return found


class PeopleStore:
    """Users, approval and the audit trail; mixed into Database (which provides ``_tx``)."""

    _tx: Callable[[], AbstractContextManager[Session]]
    _sessions: sessionmaker
    actor: Actor = SYSTEM
    pin_params: people.ScryptParams = people.DEFAULT_PARAMS
    lockout: people.LockoutPolicy = people.DEFAULT_LOCKOUT

    # -- the hooks ---------------------------------------------------------------------------
    def _install_people_hooks(self) -> None:
        event.listen(self._sessions, "before_flush", self._audit_flush)
        event.listen(self._sessions, "do_orm_execute", self._audit_execute)
        event.listen(self._sessions, "before_commit", self._audit_commit)
        event.listen(self._sessions, "after_flush_postexec", self._audit_postexec)

    @staticmethod
    def _enforcing(s: Session) -> bool:
        """True once a user exists (asked once per transaction)."""
        if "people_enforcing" not in s.info:
            with s.no_autoflush:
                count = s.scalar(select(func.count()).select_from(UserRow)) or 0
            s.info["people_enforcing"] = count > 0
        return s.info["people_enforcing"]

    def _allow(self, s: Session, action: str) -> None:
        roles = ACTION_ROLES.get(action, ADMIN)
        if roles is None or not self._enforcing(s):
            return
        actor = self.actor
        if not actor.is_user:
            raise LoaxaError("login_required", action=action)
        held = self._current_roles(s, actor)
        if not held & roles:
            raise LoaxaError("permission_denied", user=actor.name, action=action,
                             roles=people.roles_text(set(roles)))

    @staticmethod
    def _current_roles(s: Session, actor: Actor) -> frozenset[Role]:
        """The actor's roles as the database has them now (once per transaction): a user
        disabled, or whose roles an admin changed, in another process (the window stays
        open for days) loses the rights at once."""
        if "people_roles" not in s.info:
            with s.no_autoflush:
                row = s.execute(select(UserRow.roles, UserRow.enabled)
                                .where(UserRow.id == actor.user_id)).first()
            if row is None or not row[1]:
                raise LoaxaError("user_disabled", name=actor.name)
            s.info["people_roles"] = people.parse_roles(row[0])
        return s.info["people_roles"]

    def _add_audit(self, s: Session, action: str, target: str = "",
                   details: dict[str, Any] | None = None, actor: str | None = None,
                   check: bool = True) -> None:
        if check:
            self._allow(s, action)
        s.add(AuditEventRow(at=utc_now(), actor=(actor or self.actor.name)[:100],
                            action=action[:40], target=target[:100],
                            details=json.dumps(details or {}, ensure_ascii=False,
                                               default=str)))

    def _queue(self, s: Session, action: str, target: Any, details: dict[str, Any],
               check: bool = True) -> None:
        """An event found during a flush: checked now, written after the flush (when new
        rows have their ids; ``target`` may be (kind, row))."""
        if check:
            self._allow(s, action)
        s.info.setdefault("audit_pending", []).append((action, target, details,
                                                       self.actor.name))

    def _audit_postexec(self, s: Session, _context: Any) -> None:
        pending = s.info.pop("audit_pending", [])
        for action, target, details, actor in pending:
            if isinstance(target, tuple):
                target = f"{target[0]}:{target[1].id}"
            self._add_audit(s, action, target, details, actor=actor, check=False)

    def _audit_flush(self, s: Session, _context: Any, _instances: Any) -> None:
        events: list[tuple[str, Any, dict[str, Any]]] = []
        for obj in list(s.new):
            events.extend(self._audit_new(s, obj))
        for obj in list(s.dirty):
            if s.is_modified(obj, include_collections=False):
                events.extend(self._audit_dirty(s, obj))
        for obj in list(s.deleted):
            if isinstance(obj, (SeriesRow, CampaignRow, OccurrenceChangeRow, SessionRow)):
                events.append((f"{_kind(obj)}_changed", f"{_kind(obj)}:{obj.id}",
                               {"deleted": True}))
        for action, target, details in events:
            self._queue(s, action, target, details)

    def _audit_new(self, s: Session, obj: Any) -> list[tuple[str, Any, dict[str, Any]]]:
        if isinstance(obj, BulletinRow):
            found: list[tuple[str, Any, dict[str, Any]]] = []
            added = ("bulletin_added", ("bulletin", obj),
                     {"title": obj.title, "level": obj.level or "normal"})
            if obj.level == "emergency":
                # An emergency text typed on the spot: whoever may trigger an emergency
                # (any user) may write it; it goes out at once, so no operator is waited for.
                self._allow(s, "emergency_triggered")
                self._queue(s, *added, check=False)
            else:
                found.append(added)
            if not self._enforcing(s):
                self._approve(obj, people.SYSTEM_NAME)
                found.append(("bulletin_approved", ("bulletin", obj),
                              {"why": "single_user_setup"}))
            else:
                obj.approved_by, obj.approved_at, obj.approved_sha256 = "", None, ""
            return found
        if isinstance(obj, SeriesRow):
            return [("series_added", ("series", obj),
                     {"title": obj.title, "start": obj.start_local, "days": obj.weekdays})]
        if isinstance(obj, SessionRow):
            return [("oneoff_added", ("oneoff", obj),
                     {"title": obj.title, "at": _json_value(obj.scheduled_at)})]
        if isinstance(obj, OccurrenceChangeRow):
            return [("occurrence_changed", f"series:{obj.series_id}",
                     {"day": _json_value(obj.occurrence_date), "action": obj.action,
                      "move_to": _json_value(obj.new_start), "length_s": obj.new_length_s})]
        if isinstance(obj, CampaignRow):
            return [("campaign_added", ("campaign", obj),
                     {"bulletin": obj.bulletin_id, "from": _json_value(obj.first_day),
                      "to": _json_value(obj.last_day), "series": obj.series_ids,
                      "max_per_day": obj.max_per_day})]
        if isinstance(obj, QuietHoursRow):
            s.info["quiet_hours_touched"] = True
            return []
        if isinstance(obj, EmergencyRow):
            if self.actor.is_user:  # who triggered it cannot be typed in by someone else
                obj.requested_by = self.actor.name
            return [("emergency_triggered", f"bulletin:{obj.bulletin_id}",
                     {"by": obj.requested_by, "repeat_minutes": obj.repeat_minutes})]
        if isinstance(obj, AudioAssetRow) and obj.origin == "file":
            return [("audio_added", ("audio", obj), {"title": obj.title, "sha256": obj.sha256})]
        if isinstance(obj, LogEntryRow) and obj.corrects_seq is not None:
            return [("log_corrected", f"log:{obj.corrects_seq}",
                     {"status": obj.status, "note": obj.note, "by": obj.triggered_by})]
        if isinstance(obj, StationRow):
            return self._audit_station(obj)
        return []

    def _audit_dirty(self, s: Session, obj: Any) -> list[tuple[str, str, dict[str, Any]]]:
        if isinstance(obj, BulletinRow):
            return self._audit_bulletin(s, obj)
        if isinstance(obj, SessionRow):
            changed = _changes(obj, ("title", "scheduled_at", "planned_length_s", "state"))
            state = changed.get("state")
            if state and state[1] == "cancelled":
                return [("oneoff_cancelled", f"oneoff:{obj.id}", changed)]
            changed.pop("state", None)  # the engine's own state changes
            return [("oneoff_changed", f"oneoff:{obj.id}", changed)] if changed else []
        if isinstance(obj, (SeriesRow, CampaignRow, OccurrenceChangeRow)):
            names = [c.key for c in inspect(type(obj)).column_attrs
                     if c.key not in ("updated_at", "created_at")]
            changed = _changes(obj, names)
            if not changed:
                return []
            if isinstance(obj, OccurrenceChangeRow):
                return [("occurrence_changed", f"series:{obj.series_id}",
                         {"day": _json_value(obj.occurrence_date), **changed})]
            return [(f"{_kind(obj)}_changed", f"{_kind(obj)}:{obj.id}", changed)]
        if isinstance(obj, EmergencyRow):
            changed = _changes(obj, ("state",))
            if changed.get("state", [None, None])[1] == "cancelled":
                if self.actor.is_user:
                    obj.cancelled_by = self.actor.name
                return [("emergency_cancelled", f"emergency:{obj.id}",
                         {"by": obj.cancelled_by, "bulletin": obj.bulletin_id})]
            return []  # plays counted by the engine
        if isinstance(obj, StationRow):
            return self._audit_station(obj)
        return []

    @staticmethod
    def _audit_station(obj: StationRow) -> list[tuple[str, str, dict[str, Any]]]:
        found = []
        changed = _changes(obj, _STATION_FIELDS)
        if changed:
            found.append(("station_changed", "station", changed))
        jingle = _changes(obj, ("jingle_asset_id",))
        if jingle:
            found.append(("station_jingle_set", "station", jingle))
        key = _changes(obj, ("public_key",))
        if key:  # the first key is made at the first start, by the station itself
            found.append(("station_key_replaced" if key["public_key"][0] else
                          "station_key_set", "station", key))
        return found

    def _approve(self, row: BulletinRow, by: str) -> None:
        row.approved_by = by[:100]
        row.approved_at = utc_now()
        row.approved_sha256 = people.approval_fingerprint(row.level or "normal", row.body)

    def _audit_bulletin(self, s: Session, row: BulletinRow
                        ) -> list[tuple[str, str, dict[str, Any]]]:
        target = f"bulletin:{row.id}"
        found = []
        edited = _changes(row, _BULLETIN_FIELDS)
        if "body" in edited:
            edited["body"] = ["…", f"{len(row.body)} characters"]
        if edited:
            found.append(("bulletin_changed", target, edited))
        approval = _changes(row, ("approved_at",))
        if approval:
            if row.approved_at is not None:
                by = self.actor.name if self._enforcing(s) else people.SYSTEM_NAME
                self._approve(row, by)  # bound to what it is now, by who is acting
                found.append(("bulletin_approved", target, {"level": row.level}))
            else:
                row.approved_by, row.approved_sha256 = "", ""
                found.append(("bulletin_unapproved", target, {"why": "unapproved"}))
        elif ("body" in edited or "level" in edited) and row.approved_at is not None:
            if self._enforcing(s):
                row.approved_by, row.approved_at, row.approved_sha256 = "", None, ""
                # Part of the edit: allowed to whoever may edit (checked on bulletin_changed).
                self._queue(s, "bulletin_unapproved", target,
                            {"why": "edited", "fields": sorted(edited)}, check=False)
            else:
                self._approve(row, people.SYSTEM_NAME)
                found.append(("bulletin_approved", target, {"why": "single_user_setup"}))
        return found

    def _audit_execute(self, state: Any) -> None:
        mapper = state.bind_mapper
        if mapper is not None and mapper.class_ is QuietHoursRow \
                and (state.is_delete or state.is_update):
            state.session.info["quiet_hours_touched"] = True

    def _audit_commit(self, s: Session) -> None:
        if s.info.pop("quiet_hours_touched", False):
            s.flush()
            windows = [f"{r.start_local[:5]}-{r.end_local[:5]}" for r in s.scalars(
                select(QuietHoursRow).order_by(QuietHoursRow.id))]
            self._add_audit(s, "quiet_hours_set", "quiet_hours", {"windows": windows})
        s.info.pop("people_enforcing", None)
        s.info.pop("people_roles", None)

    # -- explicit audit ------------------------------------------------------------------
    def require(self, action: str) -> None:
        """Refuses (``login_required`` / ``permission_denied``) when the current actor may
        not do ``action``: asked before work that writes files, such as an export."""
        with self._tx() as s:
            self._allow(s, action)

    def record_audit(self, action: str, target: str = "",
                     details: dict[str, Any] | None = None) -> None:
        """Appends an event for an action outside the database (an export, a change of the
        settings file), after checking the actor may do it."""
        with self._tx() as s:
            self._add_audit(s, action, target, details)

    def audit_events(self, start: datetime | None = None, end: datetime | None = None
                     ) -> list[AuditEvent]:
        """Events in [start, end), oldest first."""
        with self._tx() as s:
            query = select(AuditEventRow).order_by(AuditEventRow.at, AuditEventRow.id)
            if start is not None:
                query = query.where(AuditEventRow.at >= start)
            if end is not None:
                query = query.where(AuditEventRow.at < end)
            out = []
            for row in s.scalars(query):
                try:
                    details = json.loads(row.details or "{}")
                except ValueError:
                    details = {"raw": row.details}
                out.append(AuditEvent(row.id, row.at, row.actor, row.action, row.target,
                                      details))
            return out

    # -- approval ------------------------------------------------------------------------
    def approve_bulletin(self, bulletin_id: int) -> None:
        """Approves the bulletin's current level and text for air, as the current actor."""
        with self._tx() as s:
            row = s.get(BulletinRow, bulletin_id)
            if row is None:
                raise LoaxaError("bulletin_not_found", id=bulletin_id)
            if is_approved(row):
                self._allow(s, "bulletin_approved")
                return
            row.approved_at = utc_now()

    def unapprove_bulletin(self, bulletin_id: int) -> None:
        with self._tx() as s:
            row = s.get(BulletinRow, bulletin_id)
            if row is None:
                raise LoaxaError("bulletin_not_found", id=bulletin_id)
            self._allow(s, "bulletin_unapproved")
            if row.approved_at is not None:
                row.approved_at = None

    # -- users ---------------------------------------------------------------------------
    def count_users(self) -> int:
        with self._tx() as s:
            return s.scalar(select(func.count()).select_from(UserRow)) or 0

    def list_users(self) -> list[User]:
        with self._tx() as s:
            return [_user(r) for r in s.scalars(select(UserRow).order_by(UserRow.name))]

    def get_user(self, name: str) -> User:
        with self._tx() as s:
            return _user(self._user_row(s, name))

    @staticmethod
    def _user_row(s: Session, name: str) -> UserRow:
        row = s.scalar(select(UserRow).where(func.lower(UserRow.name)
                                             == (name or "").strip().lower()))
        if row is None:
            raise LoaxaError("user_not_found", name=name)
        return row

    def add_user(self, name: str, pin: str, roles: Iterable[str] | str,
                 full_name: str = "") -> User:
        """A new user. The first one must be an admin; after that only an admin adds."""
        name = people.user_name_ok(name)
        role_set = people.parse_roles(roles if isinstance(roles, str) else list(roles))
        if not role_set:
            raise LoaxaError("user_no_role")
        pin_hash = people.hash_pin(pin, self.pin_params)
        with self._tx() as s:
            first = not self._enforcing(s)
            if first and Role.ADMIN not in role_set:
                raise LoaxaError("first_user_admin")
            if s.scalar(select(UserRow.id).where(func.lower(UserRow.name) == name.lower())):
                raise LoaxaError("user_exists", name=name)
            self._allow(s, "user_added")
            row = UserRow(name=name, full_name=full_name.strip()[:200],
                          roles=people.roles_text(role_set), pin_hash=pin_hash, enabled=True,
                          failed_logins=0)
            s.add(row)
            self._add_audit(s, "user_added", f"user:{name}",
                            {"roles": row.roles, "first_user": first}, check=False)
            s.flush()
            return _user(row)

    def _admins_left(self, s: Session, without: int) -> int:
        rows = s.scalars(select(UserRow).where(UserRow.enabled).where(UserRow.id != without))
        return sum(1 for r in rows if Role.ADMIN in people.parse_roles(r.roles))

    def set_user_roles(self, name: str, roles: Iterable[str] | str) -> User:
        role_set = people.parse_roles(roles if isinstance(roles, str) else list(roles))
        if not role_set:
            raise LoaxaError("user_no_role")
        with self._tx() as s:
            row = self._user_row(s, name)
            self._allow(s, "user_roles_changed")
            if Role.ADMIN not in role_set and row.enabled \
                    and Role.ADMIN in people.parse_roles(row.roles) \
                    and not self._admins_left(s, row.id):
                raise LoaxaError("last_admin", name=row.name)
            old, row.roles = row.roles, people.roles_text(role_set)
            self._add_audit(s, "user_roles_changed", f"user:{row.name}",
                            {"roles": [old, row.roles]}, check=False)
            s.flush()
            if row.id == self.actor.user_id:
                self.actor = Actor(row.name, role_set, row.id)
            return _user(row)

    def set_user_enabled(self, name: str, enabled: bool) -> User:
        """Disables (the user can no longer log in; nothing is deleted, the audit trail
        keeps the name) or enables again (clearing a lockout)."""
        with self._tx() as s:
            row = self._user_row(s, name)
            action = "user_enabled" if enabled else "user_disabled"
            self._allow(s, action)
            if not enabled and Role.ADMIN in people.parse_roles(row.roles) \
                    and not self._admins_left(s, row.id):
                raise LoaxaError("last_admin", name=row.name)
            row.enabled = enabled
            if enabled:
                row.failed_logins, row.locked_until = 0, None
            self._add_audit(s, action, f"user:{row.name}", {}, check=False)
            s.flush()
            return _user(row)

    def set_user_pin(self, name: str, new_pin: str, *, old_pin: str | None = None,
                     now: datetime | None = None) -> None:
        """An admin resets anybody's PIN (clearing a lockout); a user changes their own
        with the old PIN. A wrong old PIN counts as a failed login (the same lockout: an
        unattended, signed-in window cannot be used to guess the PIN); while the account is
        locked the old PIN is not even checked (``user_locked``)."""
        now = now or utc_now()
        people.check_pin(new_pin)
        with self._tx() as s:
            row = self._user_row(s, name)
            own = self.actor.user_id == row.id and old_pin is not None
            stored, user_name, locked_until = row.pin_hash, row.name, row.locked_until
        if own:
            if people.is_locked(locked_until, now):
                raise LoaxaError("user_locked", name=user_name,
                                 until=format_local(locked_until, seconds=False))
            if not people.verify_pin(old_pin or "", stored):
                self._pin_change_failed(name, now)
        new_hash = people.hash_pin(new_pin, self.pin_params)
        with self._tx() as s:
            row = self._user_row(s, name)
            action = "user_pin_changed" if own else "user_pin_reset"
            self._allow(s, action)
            row.pin_hash, row.failed_logins, row.locked_until = new_hash, 0, None
            self._add_audit(s, action, f"user:{row.name}", {}, check=False)

    def _pin_change_failed(self, name: str, now: datetime) -> None:
        """A wrong old PIN: counted like a failed login, recorded, then refused."""
        with self._tx() as s:
            row = self._user_row(s, name)
            row.failed_logins, row.locked_until = people.after_failure(
                row.failed_logins, now, self.lockout)
            failures, until, user_name = row.failed_logins, row.locked_until, row.name
            self._add_audit(s, "login_failed", f"user:{user_name}",
                            {"failures": failures, "why": "pin_change"}, check=False)
            if until is not None and until > now:
                self._add_audit(s, "user_locked", f"user:{user_name}",
                                {"until": until.isoformat(), "failures": failures},
                                check=False)
        if until is not None and until > now:
            raise LoaxaError("user_locked", name=user_name,
                             until=format_local(until, seconds=False))
        raise LoaxaError("pin_wrong")

    # -- logging in ------------------------------------------------------------------------
    def login(self, name: str, pin: str, now: datetime | None = None) -> Actor:
        """Checks the PIN and makes the user the actor of everything done next through this
        Database. Refuses with ``login_failed`` (wrong name or PIN: the same words and the
        same time), ``user_locked`` (until when, Vietnam time) or ``user_disabled``.
        Failures are counted in the database, so a restart does not reset a lockout."""
        now = now or utc_now()
        with self._tx() as s:
            row = s.scalar(select(UserRow).where(func.lower(UserRow.name)
                                                 == (name or "").strip().lower()))
            found = None if row is None else (row.id, row.name, row.pin_hash, row.enabled,
                                              row.locked_until)
        if found is None:
            people.dummy_verify(pin or "", self.pin_params)
            with self._tx() as s:
                self._add_audit(s, "login_failed", f"user:{(name or '')[:40]}",
                                {"why": "unknown_user"}, actor=(name or "?")[:40],
                                check=False)
            raise LoaxaError("login_failed")
        user_id, user_name, stored, enabled, locked_until = found
        if people.is_locked(locked_until, now):
            raise LoaxaError("user_locked", name=user_name,
                             until=format_local(locked_until, seconds=False))
        ok = people.verify_pin(pin or "", stored)
        with self._tx() as s:
            row = s.get(UserRow, user_id)
            if row is None:
                raise LoaxaError("login_failed")
            if not ok:
                row.failed_logins, row.locked_until = people.after_failure(
                    row.failed_logins, now, self.lockout)
                failures, until = row.failed_logins, row.locked_until
                self._add_audit(s, "login_failed", f"user:{user_name}",
                                {"failures": failures}, actor=user_name, check=False)
                if until is not None and until > now:
                    self._add_audit(s, "user_locked", f"user:{user_name}",
                                    {"until": until.isoformat(), "failures": failures},
                                    actor=user_name, check=False)
            elif not row.enabled:
                self._add_audit(s, "login_failed", f"user:{user_name}",
                                {"why": "disabled"}, actor=user_name, check=False)
            else:
                row.failed_logins, row.locked_until, row.last_login_at = 0, None, now
                if people.needs_rehash(stored, self.pin_params):
                    row.pin_hash = people.hash_pin(pin, self.pin_params)
                self._add_audit(s, "login", f"user:{user_name}", {}, actor=user_name,
                                check=False)
                roles = people.parse_roles(row.roles)
        if not ok:
            if until is not None and until > now:
                raise LoaxaError("user_locked", name=user_name,
                                 until=format_local(until, seconds=False))
            raise LoaxaError("login_failed")
        if not enabled:
            raise LoaxaError("user_disabled", name=user_name)
        self.actor = Actor(user_name, roles, user_id)
        return self.actor

    def logout(self) -> None:
        self.actor = SYSTEM


def _kind(obj: Any) -> str:
    return {SeriesRow: "series", CampaignRow: "campaign", OccurrenceChangeRow: "occurrence",
            SessionRow: "oneoff"}[type(obj)]
