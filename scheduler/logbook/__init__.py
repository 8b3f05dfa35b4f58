"""The tamper-evident broadcast log: the hash chain, the station key, signed packages.

No SQLAlchemy here; the database side (sealing, append-only triggers) is in
``scheduler/persistence``. The format is specified in ``docs/log-format.md``.
"""
