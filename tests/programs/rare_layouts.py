"""Attribute, store and method sites that the profile sees on one receiver layout (instance
values) for most of the run and that later meet the others a few times: a `__slots__` class, an
instance whose `__dict__` was materialized, a class object, a module, a dict subclass as
`__dict__`; and a method site that later meets an instance whose `__dict__` shadows the method.
The hit paths of the unseen layouts are left to the helper, which must give the same results."""
import types


class Plain:
    def __init__(self, x):
        self.x = x
        self.y = x + 1

    def get(self):
        return self.x


class Slotted:
    __slots__ = ("x", "y")

    def __init__(self, x):
        self.x = x
        self.y = -x

    def get(self):
        return self.x * 10


class Loose(dict):
    pass


def read(o):
    return o.x


def write(o, v):
    o.y = v
    return o.y


def call_get(o):
    return o.get()


def hot(n):
    objs = [Plain(i) for i in range(8)]
    total = 0
    for i in range(n):
        o = objs[i % 8]
        total += read(o) + write(o, i) + call_get(o)
    return total


print(hot(60000))

# The rare layouts, through the same sites.
s = Slotted(7)
print(read(s), write(s, 70), call_get(s))
m = Plain(3)
m.__dict__["z"] = 1  # materializes the __dict__
print(read(m), write(m, 30), call_get(m))
shadow = Plain(4)
shadow.get = lambda: "shadowed"
print(read(shadow), write(shadow, 40), call_get(shadow))


class AsClass:
    x = "class attribute"
    y = None

    @staticmethod
    def get():
        return "static"


print(read(AsClass), write(AsClass, "class store"), call_get(AsClass))
mod = types.ModuleType("m")
mod.x, mod.y, mod.get = "module attribute", 0, lambda: "module function"
print(read(mod), write(mod, 5), call_get(mod))
odd = Plain(5)
odd.__dict__ = Loose(x="from a dict subclass", y=0)
print(read(odd), write(odd, 50))
print(hot(16))
