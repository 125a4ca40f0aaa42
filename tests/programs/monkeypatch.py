class Greeter:
    def __init__(self, name):
        self.name = name

    def greet(self):
        return "hello " + self.name


def talk(objs):
    return [o.greet() for o in objs]


people = [Greeter(n) for n in "abc"]
for _ in range(500):
    out = talk(people)
print(out)
Greeter.greet = lambda self: "hi " + self.name.upper()
print(talk(people))
people[0].greet = lambda: "instance override"
print(talk(people))
del Greeter.greet
try:
    talk(people)
except AttributeError as e:
    print("AttributeError:", e)
people[1].__class__ = type("Other", (), {"greet": lambda self: "other"})
print(talk(people[1:2]))
