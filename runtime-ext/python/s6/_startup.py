"""Imported by s6.pth at interpreter start-up, only when S6_PROFILE or S6_CACHE is set."""
import os

if os.environ.get("S6_PROFILE"):
    from s6 import _profile

    _profile.start_from_env()
if os.environ.get("S6_CACHE"):
    import s6

    s6._enable_from_env()
