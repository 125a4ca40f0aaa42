from collections import Counter, defaultdict, deque, namedtuple

Pair = namedtuple("Pair", "a b")


def tally(words):
    c = Counter()
    groups = defaultdict(list)
    for w in words:
        c[w] += 1
        groups[len(w)].append(w)
    return c.most_common(3), {k: sorted(set(v)) for k, v in sorted(groups.items())}


def window(seq, n):
    d = deque(maxlen=n)
    out = []
    for x in seq:
        d.append(x)
        out.append(sum(d))
    return out


words = "a bb a ccc bb a dddd ccc a".split()
for _ in range(500):
    r = tally(words)
    w = window(range(20), 3)
p = Pair(1, b=2)
print(r, w[-3:], p, p._replace(a=5), p.a + p.b, dict(Counter("hello")))
d = {}
print(d.setdefault("k", []), d, {k: v for k, v in zip("abc", range(3))}.popitem())
