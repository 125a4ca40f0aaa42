"""A hand-written tokenizer and recursive-descent parser for a small expression language
(numbers, names, strings, + - * / % **, comparisons, and/or/not, calls, lists, indexing,
`let` bindings and `if ... then ... else`), with an AST of small classes, a pretty-printer, a
constant folder and an evaluator.

Style: a character-level scanner, a parser class with one method per precedence level, AST
node classes with __slots__, visitor-style dispatch through a dict of methods, and errors
reported as exceptions with positions.

    python exprparse.py [COUNT]
"""
import sys
import zlib

SIZE = 250  # number of generated source programs parsed and evaluated


class ParseError(Exception):
    def __init__(self, message, pos):
        super().__init__(f"{message} at {pos}")
        self.pos = pos


class Token:
    __slots__ = ("kind", "value", "pos")

    def __init__(self, kind, value, pos):
        self.kind = kind
        self.value = value
        self.pos = pos

    def __repr__(self):
        return f"Token({self.kind}, {self.value!r})"


KEYWORDS = {"let", "in", "if", "then", "else", "and", "or", "not", "true", "false"}
TWO_CHAR = {"**", "==", "!=", "<=", ">="}
ONE_CHAR = set("+-*/%()<>,[]=")


def tokenize(text):
    tokens = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch.isdigit():
            start = i
            while i < n and (text[i].isdigit() or text[i] == "."):
                i += 1
            literal = text[start:i]
            tokens.append(Token("num", float(literal) if "." in literal else int(literal), start))
        elif ch.isalpha() or ch == "_":
            start = i
            while i < n and (text[i].isalnum() or text[i] == "_"):
                i += 1
            word = text[start:i]
            tokens.append(Token("kw" if word in KEYWORDS else "name", word, start))
        elif ch == '"':
            start = i
            i += 1
            chars = []
            while i < n and text[i] != '"':
                if text[i] == "\\" and i + 1 < n:
                    i += 1
                    chars.append({"n": "\n", "t": "\t"}.get(text[i], text[i]))
                else:
                    chars.append(text[i])
                i += 1
            if i >= n:
                raise ParseError("unterminated string", start)
            i += 1
            tokens.append(Token("str", "".join(chars), start))
        elif text[i:i + 2] in TWO_CHAR:
            tokens.append(Token("op", text[i:i + 2], i))
            i += 2
        elif ch in ONE_CHAR:
            tokens.append(Token("op", ch, i))
            i += 1
        else:
            raise ParseError(f"unexpected character {ch!r}", i)
    tokens.append(Token("eof", None, n))
    return tokens


class Node:
    __slots__ = ()

    def __eq__(self, other):
        return type(self) is type(other) and all(
            getattr(self, f) == getattr(other, f) for f in self.__slots__)


class Num(Node):
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


class Str(Node):
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


class Bool(Node):
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


class Name(Node):
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name


class BinOp(Node):
    __slots__ = ("op", "left", "right")

    def __init__(self, op, left, right):
        self.op = op
        self.left = left
        self.right = right


class Unary(Node):
    __slots__ = ("op", "operand")

    def __init__(self, op, operand):
        self.op = op
        self.operand = operand


class Call(Node):
    __slots__ = ("func", "args")

    def __init__(self, func, args):
        self.func = func
        self.args = args


class ListLit(Node):
    __slots__ = ("items",)

    def __init__(self, items):
        self.items = items


class Index(Node):
    __slots__ = ("target", "index")

    def __init__(self, target, index):
        self.target = target
        self.index = index


class Let(Node):
    __slots__ = ("name", "value", "body")

    def __init__(self, name, value, body):
        self.name = name
        self.value = value
        self.body = body


class If(Node):
    __slots__ = ("cond", "then", "otherwise")

    def __init__(self, cond, then, otherwise):
        self.cond = cond
        self.then = then
        self.otherwise = otherwise


BINARY_LEVELS = [
    ("or",),
    ("and",),
    ("==", "!=", "<", "<=", ">", ">="),
    ("+", "-"),
    ("*", "/", "%"),
]


class Parser:
    def __init__(self, text):
        self.tokens = tokenize(text)
        self.pos = 0

    @property
    def current(self):
        return self.tokens[self.pos]

    def advance(self):
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def at(self, *values):
        tok = self.tokens[self.pos]
        return tok.kind in ("op", "kw") and tok.value in values

    def expect(self, value):
        if not self.at(value):
            raise ParseError(f"expected {value!r}, got {self.current.value!r}", self.current.pos)
        return self.advance()

    def parse(self):
        node = self.expression()
        if self.current.kind != "eof":
            raise ParseError(f"trailing {self.current.value!r}", self.current.pos)
        return node

    def expression(self):
        if self.at("let"):
            self.advance()
            name = self.advance()
            if name.kind != "name":
                raise ParseError("expected a name after let", name.pos)
            self.expect("=")
            value = self.expression()
            self.expect("in")
            return Let(name.value, value, self.expression())
        if self.at("if"):
            self.advance()
            cond = self.expression()
            self.expect("then")
            then = self.expression()
            self.expect("else")
            return If(cond, then, self.expression())
        return self.binary(0)

    def binary(self, level):
        if level == len(BINARY_LEVELS):
            return self.unary()
        ops = BINARY_LEVELS[level]
        left = self.binary(level + 1)
        while self.at(*ops):
            op = self.advance().value
            left = BinOp(op, left, self.binary(level + 1))
        return left

    def unary(self):
        if self.at("-", "not"):
            op = self.advance().value
            return Unary(op, self.unary())
        return self.power()

    def power(self):
        base = self.postfix()
        if self.at("**"):
            self.advance()
            return BinOp("**", base, self.unary())  # right-associative
        return base

    def postfix(self):
        node = self.atom()
        while True:
            if self.at("("):
                self.advance()
                args = self.sequence(")")
                node = Call(node, args)
            elif self.at("["):
                self.advance()
                index = self.expression()
                self.expect("]")
                node = Index(node, index)
            else:
                return node

    def sequence(self, closer):
        items = []
        if not self.at(closer):
            items.append(self.expression())
            while self.at(","):
                self.advance()
                items.append(self.expression())
        self.expect(closer)
        return items

    def atom(self):
        tok = self.advance()
        if tok.kind == "num":
            return Num(tok.value)
        if tok.kind == "str":
            return Str(tok.value)
        if tok.kind == "name":
            return Name(tok.value)
        if tok.kind == "kw" and tok.value in ("true", "false"):
            return Bool(tok.value == "true")
        if tok.kind == "op" and tok.value == "(":
            node = self.expression()
            self.expect(")")
            return node
        if tok.kind == "op" and tok.value == "[":
            return ListLit(self.sequence("]"))
        raise ParseError(f"unexpected {tok.value!r}", tok.pos)


def show(node):
    """Fully parenthesised source for an AST."""
    kind = type(node)
    if kind is Num:
        return repr(node.value)
    if kind is Str:
        return '"' + node.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if kind is Bool:
        return "true" if node.value else "false"
    if kind is Name:
        return node.name
    if kind is BinOp:
        return f"({show(node.left)} {node.op} {show(node.right)})"
    if kind is Unary:
        sep = " " if node.op == "not" else ""
        return f"({node.op}{sep}{show(node.operand)})"
    if kind is Call:
        return f"{show(node.func)}({', '.join(show(a) for a in node.args)})"
    if kind is ListLit:
        return f"[{', '.join(show(a) for a in node.items)}]"
    if kind is Index:
        return f"{show(node.target)}[{show(node.index)}]"
    if kind is Let:
        return f"(let {node.name} = {show(node.value)} in {show(node.body)})"
    if kind is If:
        return f"(if {show(node.cond)} then {show(node.then)} else {show(node.otherwise)})"
    raise TypeError(kind.__name__)


ARITH = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "%": lambda a, b: a % b,
    "**": lambda a, b: a ** b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def fold(node):
    """Constant folding: numeric sub-expressions without names become literals."""
    if isinstance(node, BinOp):
        left, right = fold(node.left), fold(node.right)
        if isinstance(left, Num) and isinstance(right, Num) and node.op in "+-*":
            return Num(ARITH[node.op](left.value, right.value))
        return BinOp(node.op, left, right)
    if isinstance(node, Unary):
        operand = fold(node.operand)
        if node.op == "-" and isinstance(operand, Num):
            return Num(-operand.value)
        return Unary(node.op, operand)
    if isinstance(node, Call):
        return Call(fold(node.func), [fold(a) for a in node.args])
    if isinstance(node, ListLit):
        return ListLit([fold(a) for a in node.items])
    if isinstance(node, Index):
        return Index(fold(node.target), fold(node.index))
    if isinstance(node, Let):
        return Let(node.name, fold(node.value), fold(node.body))
    if isinstance(node, If):
        return If(fold(node.cond), fold(node.then), fold(node.otherwise))
    return node


class Evaluator:
    def __init__(self, functions):
        self.functions = functions
        self.dispatch = {
            Num: self.literal, Str: self.literal, Bool: self.literal, Name: self.name,
            BinOp: self.binop, Unary: self.unary, Call: self.call, ListLit: self.list_lit,
            Index: self.index, Let: self.let, If: self.if_,
        }

    def eval(self, node, env):
        return self.dispatch[type(node)](node, env)

    def literal(self, node, env):
        return node.value

    def name(self, node, env):
        try:
            return env[node.name]
        except KeyError:
            raise NameError(f"unbound name {node.name}") from None

    def binop(self, node, env):
        if node.op == "and":
            return self.eval(node.left, env) and self.eval(node.right, env)
        if node.op == "or":
            return self.eval(node.left, env) or self.eval(node.right, env)
        return ARITH[node.op](self.eval(node.left, env), self.eval(node.right, env))

    def unary(self, node, env):
        value = self.eval(node.operand, env)
        return not value if node.op == "not" else -value

    def call(self, node, env):
        func = self.functions[node.func.name]
        return func(*[self.eval(a, env) for a in node.args])

    def list_lit(self, node, env):
        return [self.eval(a, env) for a in node.items]

    def index(self, node, env):
        return self.eval(node.target, env)[self.eval(node.index, env)]

    def let(self, node, env):
        inner = dict(env)
        inner[node.name] = self.eval(node.value, env)
        return self.eval(node.body, inner)

    def if_(self, node, env):
        return self.eval(node.then if self.eval(node.cond, env) else node.otherwise, env)


FUNCTIONS = {
    "max": max, "min": min, "abs": abs, "len": len,
    "sum": lambda xs: sum(xs),
    "upper": lambda s: s.upper(),
    "join": lambda sep, xs: sep.join(str(x) for x in xs),
    "range": lambda n: list(range(n)),
}


def generate(k):
    """A deterministic family of source texts of varying shape (plus some with errors)."""
    a, b, c = k % 7 + 1, k % 11 + 2, k % 5
    templates = [
        f"let x = {a} in let y = x * {b} + 3 in if y > {b * 2} and not (x == {c}) then y ** 2 - x else -y",
        f"sum([{a}, {b}, {c}, x * 2, y % 3]) + max({a}, y, {b}) * (2 - 3) ** 2",
        f'join("-", [upper("k{k}"), "v" , {a} + {b}]) == "K{k}-v-{a + b}" or false',
        f"let xs = range({a + b + 2}) in xs[{c}] + len(xs) * xs[len(xs) - 1] - {a} / {b}",
        f"if x < y then (if {a} >= {b} then x else y * {c}) else (x + y) * -({a} - {b})",
        f"max(1, 2, {a} * (3 + (4 * ({b} - ({c} + x)))))  % 7 + abs(-{k}) / 2",
        f'"unterminated {k}',
        f"let z = ({a} + ) in z",
    ]
    return templates[k % len(templates)]


def bench_exprparse(count):
    evaluator = Evaluator(FUNCTIONS)
    env = {"x": 4, "y": 9}
    results = []
    errors = 0
    for k in range(count):
        source = generate(k)
        try:
            tree = Parser(source).parse()
        except ParseError as err:
            errors += 1
            results.append(("error", err.pos))
            continue
        printed = show(tree)
        if Parser(printed).parse() != tree:
            raise AssertionError(f"round trip failed for {source!r}")
        folded = fold(tree)
        try:
            value = evaluator.eval(folded, env)
        except (ArithmeticError, LookupError, TypeError) as err:
            results.append(("runtime", type(err).__name__))
            continue
        if value != evaluator.eval(tree, env):
            raise AssertionError(f"folding changed the value of {source!r}")
        results.append((len(printed), value if not isinstance(value, float) else round(value, 9)))
    return errors, results


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else SIZE
    errors, results = bench_exprparse(count)
    print(f"{count} programs, {errors} syntax errors")
    for r in results[:9]:
        print("  ", r)
    print("checksum", zlib.crc32(repr(results).encode()))


if __name__ == "__main__":
    main()
