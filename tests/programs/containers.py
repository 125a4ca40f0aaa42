def work(n):
    lst = list(range(n))
    lst[2:5] = ["a", "b"]
    del lst[-1]
    lst.insert(0, -1)
    tpl = tuple(lst[:4])
    st = {i % 7 for i in range(n)}
    st.discard(3)
    dct = {i: i * i for i in range(n) if i % 2}
    dct.update({-1: 1})
    dct.pop(1, None)
    nested = [[i] * 2 for i in range(3)]
    nested[1][0] = "z"
    return lst[:6], tpl, sorted(st), sorted(dct.items())[:3], nested, 5 in st, -1 in dct


for _ in range(400):
    r = work(20)
print(r)
d = {"b": 1, "a": 2}
d["c"] = 3
print(list(d), list(d.values()), d.get("zz", "dflt"), {**d, "a": 9}, dict(zip("xy", (1, 2))))
print([1, 2] * 2, (1,) + (2, 3), [3, 1, 2].index(2), sorted({3: 1, 1: 2}), list(reversed([1, 2, 3])))
try:
    [][0]
except IndexError as e:
    print("IndexError:", e)
try:
    {}["missing"]
except KeyError as e:
    print("KeyError:", e)
try:
    for k in d:
        d[k + "!"] = 1
except RuntimeError as e:
    print("RuntimeError:", e)
s = frozenset([1, 2])
print(s | {3}, s & {2}, {1, 2} ^ {2, 3}, {1} <= s)
