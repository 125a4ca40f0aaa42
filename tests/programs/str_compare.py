"""`==`/`!=` at sites CPython specialized for two strs, natively: equal strs that are the same
object and strs built at run time (another object, same text), different lengths and kinds
(ASCII, Latin-1, UCS-2, UCS-4 of one length), empty strs, and operands that are not exact
strs at the same sites (None, ints, a str subclass with its own __eq__ and __ne__)."""


class Loud(str):
    def __eq__(self, other):
        return ("Loud.__eq__", str(self), other)

    def __ne__(self, other):
        return ("Loud.__ne__", str(self), other)

    __hash__ = str.__hash__


def classify(tags):
    counts = {"const": 0, "var": 0, "binop": 0, "other": 0}
    for t in tags:
        if t == "const":
            counts["const"] += 1
        elif t == "var":
            counts["var"] += 1
        elif t == "binop":
            counts["binop"] += 1
        else:
            counts["other"] += 1
    return counts


def pairs(items):
    out = []
    for a, b in items:
        out.append((a == b, a != b))
    return out


built = ["".join(["co", "nst"]), "var"[:3], "bin" + "op", "x", "", "const "[:-1]]
TAGS = (["const", "var", "binop"] * 400) + built * 100
TEXTS = ["abc", "abd", "ab", "", "é", "e", "\u20ac", "\U0001f600", "aé", "a\u20ac",
         "".join(["a", "b", "c"]), "abc"[0:3]]
ITEMS = [(a, b) for a in TEXTS for b in TEXTS]

for _ in range(400):
    c = classify(TAGS)
    p = pairs(ITEMS)

print(c)
print(p)
odd = [None, 3, 1.5, Loud("const"), Loud("zzz"), b"const"]
print(classify(["const"] + odd + ["var"]))
print(pairs([(x, "const") for x in odd] + [("const", x) for x in odd]))
