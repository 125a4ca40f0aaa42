"""A class given attributes while its module runs (each assignment to the class changes its type
version) and then used in a hot loop: the site caches of `hot` see the versions of the first
instances made, then the one the class keeps."""


class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def norm1(self):
        return abs(self.x) + abs(self.y)


def hot(n):
    total = 0
    for i in range(n):
        v = Vec(i, -i)
        v.x = i + 1  # store
        total += v.y + v.norm1()  # load, method
    return total


# Each class-level assignment gives Vec a new version; each hot() call between them runs
# native code that fills its caches for the version of the moment.
for k in range(6):
    setattr(Vec, f"CONST{k}", Vec(k, k))
    hot(3)

print(hot(200000))
