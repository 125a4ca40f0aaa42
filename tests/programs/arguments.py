def f(a, b=2, *args, c, d=4, **kw):
    return (a, b, args, c, d, sorted(kw.items()))


def g(x, y, /, z, *, w=0):
    return x + y + z + w


def h(*args, **kwargs):
    return len(args), sorted(kwargs)


acc = 0
for i in range(2000):
    acc += g(i, 2, z=3, w=i % 5)
    acc += h(*range(i % 4), k=1, **{"m": 2})[0]
print(acc)
print(f(1, c=3))
print(f(1, 2, 3, 4, c=5, d=6, e=7, f=8))
print(f(*[1, 2], **{"c": 3, "zz": 9}))
for bad in (lambda: f(), lambda: g(1, 2), lambda: g(1, y=2, z=3), lambda: f(1, c=1, a=2)):
    try:
        bad()
    except TypeError as e:
        print("TypeError:", e)
