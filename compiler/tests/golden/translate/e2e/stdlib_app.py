import argparse, textwrap, difflib, json, re, collections, fractions, decimal, statistics, string, shlex, pprint, dataclasses, enum, functools, heapq, bisect, base64, ipaddress, urllib.parse, datetime, calendar, csv, io, tokenize, typing, copy, random

@dataclasses.dataclass
class Pt:
    x: int
    y: int = 3

class Color(enum.Enum):
    RED = 1
    GREEN = 2

def main():
    p = argparse.ArgumentParser(prog="app", description="demo")
    p.add_argument("--n", type=int, default=5)
    p.add_argument("words", nargs="*")
    a = p.parse_args(["--n", "7", "x", "y"])
    print(a)
    print(textwrap.fill("lorem ipsum dolor sit amet " * 8, width=30))
    print("".join(difflib.unified_diff(["a\n", "b\n", "c\n"], ["a\n", "c\n", "d\n"])))
    print(json.dumps({"k": [1, 2.5, None, True], "s": "é"}, indent=2, sort_keys=True))
    print(json.loads('{"a": [1, 2, {"b": null}]}'))
    print(re.findall(r"(\w+)=(\d+)", "a=1 b=22 c=333"), re.sub(r"\s+", "-", "a  b   c"))
    c = collections.Counter("abracadabra"); print(c.most_common(3))
    print(collections.OrderedDict(a=1, b=2), collections.deque([1, 2, 3], maxlen=2))
    print(fractions.Fraction(3, 4) + fractions.Fraction(1, 6), decimal.Decimal("1.1") * 3)
    print(statistics.mean([1, 2, 3, 4]), statistics.median([5, 1, 3]), statistics.pstdev([1, 2, 3, 4]))
    print(string.Template("$a-$b").substitute(a=1, b=2), shlex.split("a 'b c' d"))
    pprint.pprint({"x": list(range(30)), "y": {"z": "w" * 50}})
    print(Pt(1), dataclasses.asdict(Pt(2, 5)), Color.RED, Color(2), list(Color))
    print(functools.reduce(lambda u, v: u * v, range(1, 10)), heapq.nsmallest(3, [5, 1, 4, 2]), bisect.bisect([1, 3, 5], 4))
    print(base64.b64encode(b"hello"), ipaddress.ip_network("10.0.0.0/30").num_addresses, list(ipaddress.ip_network("10.0.0.0/30").hosts()))
    print(urllib.parse.urlparse("http://u:p@h:8/p?q=1#f"), urllib.parse.quote("a b/c"))
    print(datetime.date(2020, 2, 29) + datetime.timedelta(days=366), calendar.monthrange(2024, 2))
    buf = io.StringIO(); w = csv.writer(buf); w.writerow(["a", "b,c", 3]); print(buf.getvalue().strip())
    print(list(csv.reader(io.StringIO('x,"y,z",1\n'))))
    toks = list(tokenize.generate_tokens(io.StringIO("x = 1 + f(y)\n").readline)); print(len(toks), toks[2].string)
    print(typing.get_type_hints(Pt), copy.deepcopy({"a": [1, {"b": 2}]}))
    random.seed(3); print(random.random(), random.choice("abc"), random.sample(range(10), 3))
    try:
        p.parse_args(["--n", "x"])
    except SystemExit as e:
        print("exit", e.code)

for _ in range(3):
    main()
