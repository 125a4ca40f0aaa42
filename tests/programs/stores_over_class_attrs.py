"""Instance attribute stores whose name is also a class attribute (a dataclass field's default,
a counter's initial value), which the store site caches send to the instance while that class
attribute has no `__set__`: then the class attribute becomes a property, a value of a mutable
class that later gains `__set__`, is deleted, is rebound to another plain value, and an
instance's `__dict__` is materialized, each mid-loop."""

import dataclasses


@dataclasses.dataclass
class Move:
    src: int
    dst: int
    promotion: object = None
    tag: str = "move"


class Counter:
    hits = 0
    label = "counter"

    def __init__(self, label):
        self.label = label

    def hit(self, n):
        self.hits = self.hits + n
        return self.hits


class Box:
    """A value whose class gains `__set__` mid-run (its type is mutable)."""

    def __init__(self, v):
        self.v = v

    def __repr__(self):
        return f"Box({self.v})"


def make_moves(n, promo):
    return [Move(i, i + 1, promo if i % 3 == 0 else None) for i in range(n)]


def bump(counters, n):
    return [c.hit(n) for c in counters]


def main():
    log = []
    counters = [Counter(f"c{i}") for i in range(5)]
    for round_ in range(60):
        if round_ == 15:
            # A data descriptor replaces the default: stores now go through it.
            def get_tag(self):
                return self.__dict__.get("_tag", "?")

            def set_tag(self, v):
                self.__dict__["_tag"] = v.upper()

            Move.tag = property(get_tag, set_tag)
        if round_ == 25:
            del Move.tag  # back to a plain instance attribute (with no class default)
            Move.promotion = Box(0)  # a value of a mutable class
        if round_ == 30:
            Box.__set__ = lambda self, obj, value: log.append(("Box.__set__", value))
            Box.__get__ = lambda self, obj, typ: ("via Box", self.v)
        if round_ == 40:
            del Box.__set__
            del Box.__get__
            Counter.hits = 100  # rebinding the plain value
        if round_ == 45:
            vars(counters[2])  # materializes one instance's __dict__
        try:
            moves = make_moves(12, round_)
            summary = [(m.src, m.dst, m.promotion, getattr(m, "tag", "-")) for m in moves[:4]]
        except TypeError as e:
            summary = ["TypeError", str(e)]
        log.append((round_, summary, bump(counters, round_), Counter.hits))
    for entry in log[::4]:
        print(entry)
    print(log[-1])
    print(sorted(vars(counters[2]).items()), Counter.hits)


main()
