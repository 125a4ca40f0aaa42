def target(*args, **kwargs):
    return sum(args) + sum(kwargs.values())


def forward(*a, **k):
    return target(*a, **k)


acc = 0
for i in range(1000):
    acc += forward(i, *[1, 2], x=3, **{"y": i})
print(acc, [*(1, 2), *[3]], {**{"a": 1}, **{"b": 2}, "c": 3}, target(*(), **{}))
try:
    target(**{"a": 1}, **{"a": 2})
except TypeError as e:
    print("TypeError:", e)
try:
    target(*5)
except TypeError as e:
    print("TypeError:", e)
try:
    target(**[1])
except TypeError as e:
    print("TypeError:", e)
