def render(rows):
    out = []
    for name, qty, price in rows:
        out.append(f"{name:<8}|{qty:>4d}|{price:8.2f}|{qty * price:+.3e}|{name!r:>10}|{qty:#x}|{price:%}")
    return "\n".join(out)


def words(text):
    counts = {}
    for w in text.lower().replace(",", " ").split():
        counts[w] = counts.get(w, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


rows = [("apple", 3, 1.25), ("kiwi", 12, 0.5), ("melon", 1, 3.999)]
for _ in range(300):
    s = render(rows)
print(s)
text = "the quick brown fox, the lazy dog, the end" * 3
for _ in range(200):
    w = words(text)
print(w[:4])
t = "Hello, Wörld! ünïcode ✓"
print(t.upper(), t[::-1], t.encode("utf-8")[:12], t.find("W"), t.split(" ", 1), len(t))
print("%s=%d (%5.1f%%) %r" % ("x", 42, 99.5, "q"), "{0}{1}{0}".format("a", "b"), str(3.0), repr("a'b\"c"))
print("-".join(map(str, range(5))), " pad ".strip(), "abc".center(9, "*"), "a,b,,c".split(","))
