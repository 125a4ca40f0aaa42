def slicer(s):
    return s[1:], s[:-1], s[::2], s[::-1], s[1:5:2], s[-3:], s[5:1:-1]


for _ in range(500):
    r = slicer(list(range(10)))
    t = slicer("abcdefghij")
print(r, t)
lst = list(range(10))
lst[::2] = "abcde"
lst[1:3] = []
print(lst, slice(1, 5, 2).indices(20), "abc"[slice(None, None, -1)])
try:
    lst[::2] = [1]
except ValueError as e:
    print("ValueError:", e)
print(complex(1, 2) * complex(0, 1), abs(3 + 4j), (1 + 2j).conjugate(), divmod(17, 5), pow(3, 20, 7))
