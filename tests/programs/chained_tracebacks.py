class AppError(Exception):
    pass


def parse(s):
    return int(s)


def load(items):
    out = []
    for s in items:
        try:
            out.append(parse(s))
        except ValueError:
            out.append(None)
    return out


def strict(items):
    try:
        return [parse(s) for s in items]
    except ValueError as e:
        raise AppError("bad input") from e


def sloppy(items):
    try:
        return [parse(s) for s in items]
    except ValueError:
        return undefined_name  # noqa: F821


for _ in range(300):
    load(["1", "2", "x"])
print(load(["1", "y"]))
try:
    strict(["3", "z"])
except AppError:
    import traceback

    traceback.print_exc()
sloppy(["q"])
