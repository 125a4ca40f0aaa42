def scan(data):
    hits = []
    for d in data:
        if (n := len(d)) > 2 and d[0] == "a" or n == 0:
            hits.append(n)
    return hits, n


def chained(a, b, c):
    return a < b < c, a == b != c, a is not None and b or c, not a, (a or None) is None


def ternary(x):
    return "big" if x > 10 else "mid" if x > 5 else "small"


for i in range(1000):
    r = scan(["abc", "", "ax", "aaaa"])
    t = ternary(i % 15)
print(r, t, chained(1, 2, 3), chained(0, 0, 1), [ternary(v) for v in (1, 7, 11)])
