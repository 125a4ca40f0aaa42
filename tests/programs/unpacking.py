def swap_all(pairs):
    out = []
    for a, b in pairs:
        a, b = b, a
        out.append((a, b))
    return out


def star(seq):
    first, *middle, last = seq
    (x, y), z = (first, last), middle
    return x, y, z


for _ in range(500):
    r = swap_all([(1, 2), (3, 4)])
    s = star(range(6))
print(r, s, [*range(3), *"ab"], {*"aab"} == {"a", "b"}, (*[1], 2))
for bad in ([1], [1, 2, 3]):
    try:
        a, b = bad
    except ValueError as e:
        print("ValueError:", e)
try:
    a, *b, c = [1]
except ValueError as e:
    print("ValueError:", e)
a, (b, (c, d)) = 1, [2, "cd"]
print(a, b, c, d)
