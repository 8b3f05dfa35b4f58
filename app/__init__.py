"""LoaXa desktop application: Qt UI, command line, settings and wiring."""

__version__ = "0.1.0"
APP_NAME = "LoaXa"
