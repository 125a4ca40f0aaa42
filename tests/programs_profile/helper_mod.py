"""Imported by uses_import.py: its code objects must be keyed by this module's name."""


def triple(v):
    return v * 3


class Point:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def norm(self):
        return self.x + self.y
