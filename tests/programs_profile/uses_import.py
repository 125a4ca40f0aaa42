"""Imports an own module; attribute loads on a __slots__ class; list subscripts; a method call."""
import helper_mod


def work(n):
    pts = [helper_mod.Point(i, i + 1) for i in range(100)]
    acc = 0
    items = []
    for _ in range(n):
        for p in pts:
            acc += helper_mod.triple(p.x) + pts[3].y + p.norm()
        items.append(acc)
    return acc, len(items)


print(work(3000))
