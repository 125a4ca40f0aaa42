"""Runs the fake runtime's start-up hook when no real `s6.pth` is installed to do it."""
import os

if os.environ.get("S6_PROFILE"):
    import s6._startup  # noqa: F401
