def grid(n):
    return [[(i * j) % 5 for j in range(n)] for i in range(n)]


def stats(n):
    sq = {i: i * i for i in range(n)}
    ev = {v % 10 for v in sq.values()}
    g = sum(x for x in range(n) if x % 3 == 0)
    flat = [c for row in grid(4) for c in row if c]
    return len(sq), sorted(ev), g, flat


for _ in range(300):
    out = stats(50)
print(out)
x = 10
print([x for x in range(3)], x, [(a, b) for a in range(3) for b in "ab" if a != 1])
print(list(map(lambda t: t[0] * t[1], zip(range(4), range(4, 8)))), any(v > 3 for v in [1, 5]), all([]))
