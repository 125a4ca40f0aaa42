class Registry(type):
    classes = []

    def __new__(mcls, name, bases, ns, **kw):
        cls = super().__new__(mcls, name, bases, ns, **kw)
        Registry.classes.append(name)
        return cls


class Base(metaclass=Registry):
    def __init_subclass__(cls, tag="none", **kw):
        super().__init_subclass__(**kw)
        cls.tag = tag

    def hello(self):
        return ["Base"]


class A(Base, tag="a"):
    def hello(self):
        return ["A"] + super().hello()


class B(Base, tag="b"):
    def hello(self):
        return ["B"] + super().hello()


class C(A, B):
    def hello(self):
        return ["C"] + super().hello()


def run(n):
    out = None
    for _ in range(n):
        out = C().hello()
    return out


print(run(2000), C.tag, Registry.classes, [k.__name__ for k in C.__mro__])
print(isinstance(C(), B), issubclass(C, Base), type(C).__name__, super(A, C()).hello())
