class Typed:
    def __init__(self, kind):
        self.kind = kind

    def __set_name__(self, owner, name):
        self.name = "_" + name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return getattr(obj, self.name)

    def __set__(self, obj, value):
        if not isinstance(value, self.kind):
            raise TypeError(f"{self.name[1:]} must be {self.kind.__name__}")
        setattr(obj, self.name, value)


class Point:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


class Item:
    price = Typed(float)
    qty = Typed(int)

    def __init__(self, p, q):
        self.price = p
        self.qty = q

    def __getattr__(self, name):
        return f"<no {name}>"


def run(n):
    t = 0.0
    for i in range(n):
        p = Point(i, i + 1)
        p.x += p.y
        it = Item(1.5, i)
        t += p.x + it.price * it.qty
    return t


for _ in range(40):
    r = run(200)
print(r, Item(2.0, 1).missing)
try:
    Point(1, 2).z = 3
except AttributeError as e:
    print("AttributeError:", e)
try:
    Item(1, 2)
except TypeError as e:
    print("TypeError:", e)
print(Item.price.kind, hasattr(Point(1, 1), "__dict__"))
