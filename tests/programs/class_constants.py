"""Class constants read through instances (`self.limit` where `limit` is a class attribute),
which the attribute site caches keep as the class's value while no instance can shadow it: then
an instance shadows it, another instance adds the name, the class rebinds it, the constant's
own class gains `__get__`, an instance's `__dict__` is materialized, and a subclass overrides
it, each mid-loop; the same constants read off the classes."""


class Marker:
    def __init__(self, tag):
        self.tag = tag

    def __repr__(self):
        return f"Marker({self.tag})"


class Base:
    limit = 10
    scale = 1.5
    marker = Marker("base")

    def __init__(self, x):
        self.x = x

    def score(self):
        return self.x * self.scale + self.limit


class Child(Base):
    limit = 20


def total(objs):
    t = 0.0
    for o in objs:
        t += o.score()
    return t


def markers(objs):
    return [o.marker for o in objs]


def off_class(n):
    # The same constants read off the classes themselves (`Direction.FORWARD`).
    out = None
    for _ in range(n):
        out = (Base.limit, Child.limit, Base.marker, Child.marker, Child.scale)
    return out


def main():
    objs = [Base(i) for i in range(50)] + [Child(i) for i in range(50)]
    results = []
    for round_ in range(60):
        if round_ == 10:
            objs[3].limit = 1000  # one instance shadows the constant
        if round_ == 20:
            late = Base(99)
            late.scale = 2.0  # another instance adds the name: the shared keys grow
            objs.append(late)
        if round_ == 30:
            Base.limit = 11  # the class rebinds it
        if round_ == 40:
            Marker.__get__ = lambda self, obj, typ: ("got", self.tag)  # now a descriptor
        if round_ == 45:
            vars(objs[5])  # materializes that instance's __dict__
            objs[5].__dict__["limit"] = -1
        if round_ == 50:
            del Marker.__get__
            Child.limit = 30
        results.append((round_, total(objs), markers(objs[:2]), off_class(3000)))
    for r in results[::5]:
        print(r)
    print(results[-1])


main()
