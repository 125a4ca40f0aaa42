def level3(x):
    return {"a": 1}[x]


def level2(x):
    return level3(x) + 1


def level1(items):
    total = 0
    for it in items:
        total += level2(it)
    return total


for _ in range(200):
    level1(["a"] * 10)
print("about to fail", flush=True)
level1(["a", "a", "b"])
