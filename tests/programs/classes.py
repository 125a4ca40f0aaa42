class Shape:
    count = 0

    def __init__(self, name):
        self.name = name
        Shape.count += 1

    def area(self):
        raise NotImplementedError

    def describe(self):
        return f"{self.name}:{self.area():.2f}"

    @classmethod
    def created(cls):
        return cls.count

    @staticmethod
    def unit():
        return 1.0


class Rect(Shape):
    def __init__(self, w, h):
        super().__init__("rect")
        self.w, self.h = w, h

    def area(self):
        return self.w * self.h

    @property
    def perimeter(self):
        return 2 * (self.w + self.h)

    @perimeter.setter
    def perimeter(self, value):
        raise AttributeError("read-only perimeter")


class Square(Rect):
    def __init__(self, s):
        super().__init__(s, s)
        self.name = "square"

    def __repr__(self):
        return f"Square({self.w})"


total = 0.0
for i in range(1, 1500):
    s = Square(i % 10 + 1) if i % 2 else Rect(i % 7 + 1, 2)
    total += s.area() + s.perimeter + Shape.unit()
print(total, Shape.created(), Square(3), Square(2).describe(), isinstance(Square(1), Shape))
try:
    Square(1).perimeter = 3
except AttributeError as e:
    print("AttributeError:", e)
try:
    Shape("x").describe()
except NotImplementedError:
    print("abstract")
print(Square.__mro__)
