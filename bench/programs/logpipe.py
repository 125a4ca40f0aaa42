"""A generator pipeline over synthetic web-server logs: produce lines, parse them, drop bad
ones, enrich, window by minute, and aggregate per endpoint and status, all lazily.

Style: generator functions chained stage by stage, `yield from`, generator expressions,
itertools (islice, groupby, chain, accumulate, tee), a coroutine-style consumer driven with
send(), and a context-managed stage with try/finally.

    python logpipe.py [LINES]
"""
import itertools
import sys
from collections import defaultdict

SIZE = 20000  # log lines

PATHS = ["/", "/index.html", "/api/users", "/api/users/42", "/api/orders", "/static/app.js",
         "/static/style.css", "/login", "/logout", "/api/search?q=python", "/health"]
METHODS = ["GET", "GET", "GET", "POST", "GET", "PUT", "DELETE", "GET"]
AGENTS = ["curl/8.0", "Mozilla/5.0", "python-requests/2.31", "Googlebot/2.1"]


def produce(n):
    state = 99
    t = 1_700_000_000
    for i in range(n):
        state = (state * 214013 + 2531011) & 0xFFFFFFFF
        t += state % 3
        ip = f"10.{state >> 24 & 255}.{state >> 16 & 15}.{state >> 8 & 255}"
        path = PATHS[state % len(PATHS)]
        method = METHODS[(state >> 5) % len(METHODS)]
        status = 200 if state % 10 < 7 else (404 if state % 10 < 9 else 500)
        size = (state >> 12) % 5000
        ms = 1 + (state >> 3) % 250
        agent = AGENTS[(state >> 7) % len(AGENTS)]
        if i % 997 == 13:
            yield f"garbage line {i}"
        else:
            yield f'{ip} - - [{t}] "{method} {path} HTTP/1.1" {status} {size} {ms}ms "{agent}"'


def parse(lines, rejects):
    for line in lines:
        try:
            head, request, tail = line.split('"', 2)
            ip, _, _, stamp = head.split(None, 3)
            method, path, _ = request.split(" ")
            status, size, ms, _ = tail.strip().split(" ", 3)
            yield {
                "ip": ip,
                "time": int(stamp.strip("[] ")),
                "method": method,
                "path": path,
                "status": int(status),
                "bytes": int(size),
                "ms": int(ms.rstrip("ms")),
                "agent": tail.rsplit('"', 2)[1],
            }
        except ValueError:
            rejects.append(line)


def enrich(records):
    for rec in records:
        path = rec["path"]
        rec["endpoint"] = path.split("?", 1)[0].rstrip("0123456789").rstrip("/") or "/"
        rec["bot"] = "bot" in rec["agent"].lower()
        rec["kind"] = "static" if path.startswith("/static/") else ("api" if path.startswith("/api/") else "page")
        yield rec


def humans_only(records):
    yield from (r for r in records if not r["bot"])


def by_minute(records):
    for minute, group in itertools.groupby(records, key=lambda r: r["time"] // 60):
        yield minute, list(group)


def averager():
    total = count = 0
    average = None
    while True:
        value = yield average
        total += value
        count += 1
        average = total / count


class Counted:
    """A pass-through stage that counts what flows through it, reporting when closed."""

    def __init__(self, source, report):
        self.source = source
        self.report = report
        self.seen = 0

    def __iter__(self):
        try:
            for item in self.source:
                self.seen += 1
                yield item
        finally:
            self.report.append(self.seen)


def bench_logpipe(n):
    rejects, counts = [], []
    records = humans_only(enrich(parse(Counted(produce(n), counts), rejects)))
    per_endpoint = defaultdict(lambda: [0, 0, 0])
    status_mix = defaultdict(int)
    busiest = []
    latency = averager()
    next(latency)
    avg = None
    for minute, batch in by_minute(records):
        busiest.append((len(batch), minute))
        for rec in batch:
            e = per_endpoint[(rec["kind"], rec["endpoint"])]
            e[0] += 1
            e[1] += rec["bytes"]
            e[2] = max(e[2], rec["ms"])
            status_mix[rec["status"] // 100] += 1
            avg = latency.send(rec["ms"])
    busiest.sort(reverse=True)
    sizes = list(itertools.islice(itertools.accumulate(c for c, _ in busiest), 5))
    errors_first, errors_second = itertools.tee(r for r in rejects if r.startswith("garbage"))
    first_bad = next(errors_first, None)
    bad = sum(1 for _ in errors_second)
    table = sorted(((k, e[0], e[1], e[2]) for k, e in per_endpoint.items()), key=lambda row: (-row[1], row[0]))
    chained = list(itertools.chain.from_iterable((k[1], str(c)) for k, c, _, _ in table[:3]))
    return (counts[0], len(rejects), first_bad, bad, round(avg, 6), dict(sorted(status_mix.items())),
            table, busiest[:3], sizes, chained)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else SIZE
    lines, nrejects, first_bad, bad, avg, mix, table, busiest, sizes, chained = bench_logpipe(n)
    print(f"{lines} lines, {nrejects} rejected (first {first_bad!r}, {bad} garbage), mean latency {avg} ms")
    print("status classes:", mix)
    for (kind, endpoint), hits, nbytes, worst in table:
        print(f"  {kind:<7}{endpoint:<18}{hits:>7}{nbytes:>12}{worst:>6}ms")
    print("busiest minutes:", busiest, "running totals:", sizes)
    print("top endpoints:", " ".join(chained))


if __name__ == "__main__":
    main()
