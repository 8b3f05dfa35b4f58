"""The commune's list of bulletin categories (the policy areas of its communication plan),
edited by an admin in the Settings view.

The list lives in ``categories.txt`` in the settings folder (UTF-8, one per line, ``#`` for
comments; ``app.lexicon.load_categories`` reads it, else the shipped default list). Saving
rewrites the whole file atomically. A name is refused when empty, too long for a bulletin's
category (100 characters), starting with ``#`` (it would read as a comment) or the same as
another ignoring case, diacritics and spacing ("tiem chung" = "Tiêm chủng"). Every change is
checked against the admin's rights first and goes into the audit trail (``settings_changed``,
target ``categories``); renaming can carry the bulletins of the old name along.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from app.lexicon import categories_file, load_categories, write_atomically
from media.errors import LoaxaError

if TYPE_CHECKING:
    from app.services import AppContext

MAX_CATEGORY_CHARS = 100  # a bulletin's category column holds 100 characters
AUDIT_ACTION = "settings_changed"
AUDIT_TARGET = "categories"

_HEADER = (
    "# Lĩnh vực tuyên truyền trong kế hoạch thông tin cơ sở của xã (một dòng một lĩnh vực).\n"
    "# Sửa trong LoaXa: Cài đặt › Lĩnh vực bản tin (người quản trị). Tệp UTF-8.\n"
)


def clean_name(name: str) -> str:
    """NFC, spaces collapsed, trimmed."""
    return unicodedata.normalize("NFC", " ".join(name.split()))


def fold(name: str) -> str:
    """The form two names are compared in: no case, no diacritics (đ = d), single spaces."""
    decomposed = unicodedata.normalize("NFD", clean_name(name).casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.replace("đ", "d")


def check_name(name: str, existing: list[str], replacing: str | None = None) -> str:
    """``name`` cleaned, or a ``LoaxaError`` saying why it cannot be in the list
    (``replacing``: the entry being renamed, which it may resemble)."""
    cleaned = clean_name(name)
    if not cleaned:
        raise LoaxaError("category_empty")
    if len(cleaned) > MAX_CATEGORY_CHARS:
        raise LoaxaError("category_too_long", chars=len(cleaned), limit=MAX_CATEGORY_CHARS)
    if cleaned.startswith("#"):
        raise LoaxaError("category_comment", name=cleaned)
    wanted = fold(cleaned)
    for other in existing:
        if other != replacing and fold(other) == wanted:
            raise LoaxaError("category_duplicate", name=cleaned, existing=other)
    return cleaned


def save_categories(ctx: AppContext, categories: list[str], details: dict[str, Any]) -> None:
    """Writes the list (an admin's change once users exist: refused before anything is
    written otherwise) and records ``details`` in the audit trail."""
    ctx.db.require(AUDIT_ACTION)
    write_atomically(categories_file(ctx.paths),
                     _HEADER + "".join(f"{name}\n" for name in categories))
    ctx.db.record_audit(AUDIT_ACTION, AUDIT_TARGET, details)


def add_category(ctx: AppContext, name: str) -> list[str]:
    categories = load_categories(ctx.paths)
    cleaned = check_name(name, categories)
    categories.append(cleaned)
    save_categories(ctx, categories, {"added": cleaned})
    return categories


def rename_category(ctx: AppContext, old: str, new: str, *, bulletins: bool) -> int:
    """Renames ``old``; with ``bulletins`` the bulletins of category ``old`` are given the new
    name too (returns how many). Nothing changes when refused."""
    categories = load_categories(ctx.paths)
    if old not in categories:
        raise LoaxaError("category_unknown", name=old)
    cleaned = check_name(new, categories, replacing=old)
    if cleaned == old:
        return 0
    ctx.db.require(AUDIT_ACTION)
    if bulletins:
        ctx.db.require("bulletin_changed")
    categories[categories.index(old)] = cleaned
    carried = ctx.db.bulletin_category_counts().get(old, 0) if bulletins else 0
    save_categories(ctx, categories, {"renamed": [old, cleaned], "bulletins": carried})
    # each bulletin's change is in the audit trail too (as an edit of that bulletin)
    return ctx.db.rename_bulletin_category(old, cleaned) if bulletins else 0


def remove_category(ctx: AppContext, name: str) -> list[str]:
    """Takes ``name`` out of the list; bulletins of that category keep it (the Bulletins view
    still offers it in its filter while a bulletin carries it)."""
    categories = load_categories(ctx.paths)
    if name not in categories:
        raise LoaxaError("category_unknown", name=name)
    categories.remove(name)
    used = ctx.db.bulletin_category_counts().get(name, 0)
    save_categories(ctx, categories, {"removed": name, "bulletins_keeping_it": used})
    return categories


def move_category(ctx: AppContext, name: str, step: int) -> list[str]:
    """Moves ``name`` ``step`` places (-1 up, +1 down) in the list."""
    categories = load_categories(ctx.paths)
    if name not in categories:
        raise LoaxaError("category_unknown", name=name)
    index = categories.index(name)
    target = max(0, min(len(categories) - 1, index + step))
    if target == index:
        return categories
    categories.insert(target, categories.pop(index))
    save_categories(ctx, categories, {"moved": name, "position": target + 1})
    return categories


__all__ = ["MAX_CATEGORY_CHARS", "add_category", "check_name", "clean_name", "fold",
           "move_category", "remove_category", "rename_category", "save_categories"]
