import bisect
import functools
import heapq


def cmp(a, b):
    return (a[1] > b[1]) - (a[1] < b[1]) or (a[0] > b[0]) - (a[0] < b[0])


def run(n):
    data = [(f"k{i % 17}", (i * 37) % 101) for i in range(n)]
    a = sorted(data, key=lambda t: (t[1], t[0]))
    b = sorted(data, key=functools.cmp_to_key(cmp))
    h = list(data)
    heapq.heapify(h)
    top = [heapq.heappop(h) for _ in range(3)]
    keys = sorted(v for _, v in data)
    pos = bisect.bisect_left(keys, 50)
    return a == b, top, pos, min(data, key=lambda t: t[1]), max(data)


for _ in range(30):
    r = run(300)
print(r)
