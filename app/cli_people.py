"""Command-line parts for people and safety: users, logging in, approval, the audit trail.

Once the station has a user, every command that changes something asks who is working
(``--as NAME``, else ``LOAXA_USER``, else a prompt) and their PIN (``LOAXA_PIN``, else a
hidden prompt on a terminal, else one line of standard input). While no user exists (single-
user setup) nothing is asked and everything is recorded as ``system``.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.i18n import tr
from media.errors import LoaxaError

if TYPE_CHECKING:
    from app.services import AppContext
    from scheduler.persistence.people_db import User

# Commands that change something: (command, action or None) → a login is needed once users
# exist. What each may do is checked again by the database against the user's roles.
_WRITES = {
    ("bulletin", "add"), ("bulletin", "set"), ("bulletin", "approve"),
    ("bulletin", "unapprove"), ("session", "add"), ("series", "add"), ("series", "change"),
    ("series", "enable"), ("series", "disable"), ("campaign", "add"), ("audio", "add"),
    ("log", "export"), ("log", "package"), ("log", "correct"), ("report", None),
    ("station", "set"), ("station", "new-key"), ("demo", None), ("user", "add"),
    ("user", "pin"), ("user", "disable"), ("user", "enable"), ("user", "roles"),
    ("audit", None),
}


def add_parsers(sub: argparse._SubParsersAction) -> None:
    user = sub.add_parser("user", help="users, roles and PINs").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    uadd = user.add_parser("add", help="add a user (the first one: --role admin)")
    uadd.add_argument("name")
    uadd.add_argument("--role", action="append", required=True,
                      help="operator | approver | admin (repeat, or comma-separated)")
    uadd.add_argument("--full-name", default="")
    user.add_parser("list", help="users, roles and state")
    upin = user.add_parser("pin", help="set a new PIN (an admin: anybody's; a user: their own)")
    upin.add_argument("name")
    for name in ("disable", "enable"):
        user.add_parser(name).add_argument("name")
    uroles = user.add_parser("roles", help="replace a user's roles")
    uroles.add_argument("name")
    uroles.add_argument("--role", action="append", required=True)

    audit = sub.add_parser("audit", help="the audit trail of local days FROM … TO (CSV)")
    audit.add_argument("--from", dest="first", required=True, help="YYYY-MM-DD")
    audit.add_argument("--to", dest="last", required=True, help="YYYY-MM-DD")
    audit.add_argument("-o", "--output", type=Path, help="FILE.csv (default: the screen)")


def add_approval_parsers(bulletin: argparse._SubParsersAction) -> None:
    for name, words in (("approve", "approve a bulletin's current text and level for air"),
                        ("unapprove", "take a bulletin's approval back")):
        bulletin.add_parser(name, help=words).add_argument("bulletin_id", type=int)


def add_as_option(parser: argparse.ArgumentParser) -> None:
    """``--as USER`` on every sub-command (after the command, where people type it)."""
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subparsers:
        if not any("--as" in a.option_strings for a in parser._actions):
            parser.add_argument("--as", dest="as_user", metavar="USER",
                                help="who is working (asks the PIN; LOAXA_PIN for scripts)")
        return
    for action in subparsers:
        for child in set(action.choices.values()):
            add_as_option(child)


def _needs_login(args: argparse.Namespace) -> bool:
    command, action = args.command, getattr(args, "action", None)
    if (command, action) in _WRITES or (command, None) in _WRITES:
        return True
    if command == "quiet-hours":
        return bool(args.windows or args.clear)
    if command == "emergency":
        return args.bulletin_id is not None or args.cancel is not None
    return False


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _read_secret(prompt: str, env: str) -> str:
    value = os.environ.get(env)
    if value:
        return value
    if _interactive():
        return getpass.getpass(prompt)
    line = sys.stdin.readline() if sys.stdin is not None else ""
    if not line.strip():
        raise LoaxaError("pin_needed")
    return line.rstrip("\r\n")


def _new_pin(name: str) -> str:
    if os.environ.get("LOAXA_NEW_PIN") or not _interactive():
        return _read_secret("", "LOAXA_NEW_PIN")
    first = getpass.getpass(tr("prompt_new_pin", name=name))
    if getpass.getpass(tr("prompt_new_pin_again")) != first:
        raise LoaxaError("pin_mismatch")
    return first


def authenticate(ctx: AppContext, args: argparse.Namespace) -> None:
    """Logs in the user named by ``--as`` / LOAXA_USER / a prompt when the command changes
    something and the station has users; the login PIN is kept on ``args`` (a user
    changing their own PIN needs it as the old one)."""
    if not _needs_login(args) or ctx.db.count_users() == 0:
        return
    name = (getattr(args, "as_user", None) or os.environ.get("LOAXA_USER", "")).strip()
    if not name:
        if not _interactive():
            raise LoaxaError("user_needed")
        name = input(tr("prompt_user")).strip()
    pin = _read_secret(tr("prompt_pin", name=name), "LOAXA_PIN")
    ctx.db.login(name, pin)
    args.login_pin = pin


def approval(ctx: AppContext, args: argparse.Namespace) -> int:
    if args.action == "approve":
        ctx.db.approve_bulletin(args.bulletin_id)
        print(tr("bulletin_approved_done", id=args.bulletin_id,
                 by=ctx.db.get_bulletin(args.bulletin_id).approved_by))
    else:
        ctx.db.unapprove_bulletin(args.bulletin_id)
        print(tr("bulletin_unapproved_done", id=args.bulletin_id))
    return 0


def approval_text(approved: bool, by: str, at: object) -> str:
    from scheduler.timeutil import format_local

    if not approved:
        return tr("approval_draft")
    return tr("approval_approved", by=by, at=format_local(at, seconds=False))  # type: ignore


def _roles(values: list[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def user_state(user: User) -> str:
    from scheduler.timeutil import format_local, utc_now

    if not user.enabled:
        return tr("user_state_disabled")
    if user.locked(utc_now()):
        return tr("user_state_locked", until=format_local(user.locked_until, seconds=False))
    return tr("user_state_active")


def run(ctx: AppContext, args: argparse.Namespace) -> int:
    if args.command == "audit":
        return _audit(ctx, args)
    db = ctx.db
    if args.action == "list":
        users = db.list_users()
        if not users:
            print(tr("users_none"))
        for u in users:
            from scheduler.people import roles_text
            from scheduler.timeutil import format_local

            last = format_local(u.last_login_at, seconds=False) if u.last_login_at else "—"
            print(f"{u.name}\t{roles_text(u.roles)}\t{user_state(u)}\t{last}\t{u.full_name}"
                  .rstrip())
        return 0
    if args.action == "add":
        first = db.count_users() == 0
        pin = _new_pin(args.name)
        user = db.add_user(args.name, pin, _roles(args.role), full_name=args.full_name)
        from scheduler.people import roles_text

        print(tr("user_added", name=user.name, roles=roles_text(user.roles)))
        if first:
            print(tr("user_first_added"))
        return 0
    if args.action == "pin":
        target = db.get_user(args.name)
        own = db.actor.user_id == target.id
        pin = _new_pin(target.name)
        db.set_user_pin(target.name, pin,
                        old_pin=getattr(args, "login_pin", None) if own else None)
        print(tr("user_pin_done", name=target.name))
        return 0
    if args.action in ("disable", "enable"):
        user = db.set_user_enabled(args.name, args.action == "enable")
        print(tr("user_enabled_done" if user.enabled else "user_disabled_done", name=user.name))
        return 0
    user = db.set_user_roles(args.name, _roles(args.role))
    from scheduler.people import roles_text

    print(tr("user_roles_done", name=user.name, roles=roles_text(user.roles)))
    return 0


def _audit(ctx: AppContext, args: argparse.Namespace) -> int:
    from scheduler.audit import export_audit
    from scheduler.timeutil import parse_local_date

    first, last = parse_local_date(args.first), parse_local_date(args.last)
    header = tr("audit_csv_header").split("|")
    count = export_audit(ctx.db, first, last, args.output, header, stream=sys.stdout)
    if args.output is not None:
        print(tr("audit_written", count=count, path=args.output))
    return 0
