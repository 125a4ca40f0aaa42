from dataclasses import dataclass


@dataclass
class Pt:
    x: int
    y: int


def classify(v):
    match v:
        case 0 | 1:
            return "small"
        case int(n) if n < 0:
            return f"neg {n}"
        case [a, b, *rest]:
            return f"seq {a} {b} +{len(rest)}"
        case {"kind": "circle", "r": r}:
            return f"circle {r}"
        case {"kind": k, **others}:
            return f"kind {k} {sorted(others)}"
        case Pt(x=0, y=y):
            return f"on y axis {y}"
        case Pt(x, y):
            return f"pt {x},{y}"
        case str() as s:
            return "str " + s
        case _:
            return "other"


cases = [0, 1, -5, [1, 2, 3, 4], (9, 8), {"kind": "circle", "r": 2}, {"kind": "sq", "a": 1, "b": 2},
         Pt(0, 3), Pt(1, 2), "hi", 3.5, None]
for _ in range(300):
    out = [classify(c) for c in cases]
print(out)
