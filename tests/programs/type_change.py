def add(a, b):
    return a + b


def index(seq, i):
    return seq[i]


def loop(vals):
    acc = vals[0]
    for v in vals[1:]:
        acc = add(acc, v)
    return acc


for _ in range(2000):
    loop([1, 2, 3, 4])
    index([1, 2, 3], 1)
# After the profile saw only ints and lists, feed other types to the same sites.
print(loop([1.5, 2.25, 3.0]))
print(loop(["a", "b", "c"]))
print(loop([[1], [2], [3]]))
print(loop([(1,), (2,)]))
print(index({"k": 9}, "k"), index("xyz", -1), index((5, 6), 0))
try:
    loop([1, "a"])
except TypeError as e:
    print("TypeError:", e)
