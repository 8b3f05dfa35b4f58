"""The main window's views, one module each.

Every view is a ``QWidget`` built as ``View(ctx, runner, parent=None)`` from the application
context (``app.services.AppContext``) and the window's ``app.gui.tasks.TaskRunner`` (long work
goes there, never on the GUI thread). It has a ``title_key`` (the ``app.i18n`` key of its tab
title) and ``reload()``, which the window calls when the database revision changes and when the
view is shown.
"""
