def deleter(n):
    x = n
    d = {"a": 1, "b": 2}
    lst = list(range(5))
    del d["a"], lst[1:3]
    del x
    try:
        return x  # noqa: F821
    except UnboundLocalError as e:
        return str(e), d, lst


def checked(v):
    assert v >= 0, f"negative: {v}"
    assert v != 3
    return v


for i in range(500):
    r = deleter(i)
print(r)
for v in (1, -1, 3):
    try:
        print(checked(v))
    except AssertionError as e:
        print("AssertionError:", repr(e))


class O:
    pass


o = O()
o.a = 1
del o.a
try:
    del o.a
except AttributeError as e:
    print("AttributeError:", e)
