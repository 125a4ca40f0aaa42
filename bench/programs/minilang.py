"""An interpreter for a tiny imperative language: a line-based lexer, a parser to an AST of
tuples, and a tree-walking evaluator with nested scopes, functions with recursion, while loops,
lists and a `print` that collects output. The programs it runs compute primes, Fibonacci
numbers, gcds, a bubble sort and Collatz lengths.

Style: tuples tagged with strings as AST nodes, if/elif dispatch on the tag, a Scope class with
a parent chain, exceptions for `return`, closures for builtins.

    python minilang.py [N]
"""
import re
import sys

SIZE = 35  # problem size handed to the programs

SOURCE = """
fn is_prime(n) {
  if n < 2 { return 0; }
  let d = 2;
  while d * d <= n {
    if n % d == 0 { return 0; }
    d = d + 1;
  }
  return 1;
}

fn fib(n) {
  if n < 2 { return n; }
  return fib(n - 1) + fib(n - 2);
}

fn gcd(a, b) {
  while b != 0 {
    let t = b;
    b = a % b;
    a = t;
  }
  return a;
}

fn collatz(n) {
  let steps = 0;
  while n != 1 {
    if n % 2 == 0 { n = n / 2; } else { n = 3 * n + 1; }
    steps = steps + 1;
  }
  return steps;
}

fn bubble(xs) {
  let n = len(xs);
  let i = 0;
  while i < n {
    let j = 0;
    while j < n - i - 1 {
      if xs[j] > xs[j + 1] {
        let t = xs[j];
        xs[j] = xs[j + 1];
        xs[j + 1] = t;
      }
      j = j + 1;
    }
    i = i + 1;
  }
  return xs;
}

let count = 0;
let k = 0;
while k < size * 20 {
  count = count + is_prime(k);
  k = k + 1;
}
print("primes below", size * 20, count);
print("fib", size / 4, fib(size / 4));
let g = 0;
let a = 1;
while a < size {
  g = g + gcd(a * 7919, size * 104729 % (a + 13));
  a = a + 1;
}
print("gcd sum", g);
let longest = 0;
let best = 0;
k = 1;
while k < size * 10 {
  let c = collatz(k);
  if c > longest { longest = c; best = k; }
  k = k + 1;
}
print("collatz", best, longest);
let xs = [];
k = 0;
while k < size {
  push(xs, (k * 37 + 11) % 101);
  k = k + 1;
}
let sorted = bubble(xs);
print("sorted", sorted[0], sorted[size / 2], sorted[size - 1]);
"""

TOKEN_RE = re.compile(r"\s*(?:(\d+)|([A-Za-z_]\w*)|(\"[^\"]*\")|(==|!=|<=|>=|[-+*/%<>=(){}\[\];,]))")


class LangError(Exception):
    pass


class Return(Exception):
    def __init__(self, value):
        self.value = value


def lex(source):
    tokens = []
    for lineno, line in enumerate(source.splitlines(), 1):
        pos = 0
        line = line.rstrip()
        while pos < len(line):
            m = TOKEN_RE.match(line, pos)
            if not m or m.end() == pos:
                raise LangError(f"line {lineno}: cannot read {line[pos:]!r}")
            num, name, string, op = m.groups()
            if num is not None:
                tokens.append(("num", int(num)))
            elif name is not None:
                tokens.append(("kw" if name in ("fn", "let", "if", "else", "while", "return") else "name", name))
            elif string is not None:
                tokens.append(("str", string[1:-1]))
            else:
                tokens.append(("op", op))
            pos = m.end()
    tokens.append(("eof", None))
    return tokens


class Parser:
    PRECEDENCE = {"==": 1, "!=": 1, "<": 2, "<=": 2, ">": 2, ">=": 2, "+": 3, "-": 3, "*": 4, "/": 4, "%": 4}

    def __init__(self, tokens):
        self.tokens = tokens
        self.i = 0

    def peek(self):
        return self.tokens[self.i]

    def take(self, kind=None, value=None):
        tok = self.tokens[self.i]
        if (kind and tok[0] != kind) or (value and tok[1] != value):
            raise LangError(f"expected {value or kind}, got {tok[1]!r}")
        self.i += 1
        return tok

    def program(self):
        stmts = []
        while self.peek()[0] != "eof":
            stmts.append(self.statement())
        return ("block", stmts)

    def block(self):
        self.take("op", "{")
        stmts = []
        while self.peek() != ("op", "}"):
            stmts.append(self.statement())
        self.take("op", "}")
        return ("block", stmts)

    def statement(self):
        kind, value = self.peek()
        if kind == "kw":
            if value == "fn":
                self.take()
                name = self.take("name")[1]
                self.take("op", "(")
                params = []
                while self.peek() != ("op", ")"):
                    params.append(self.take("name")[1])
                    if self.peek() == ("op", ","):
                        self.take()
                self.take("op", ")")
                return ("fn", name, tuple(params), self.block())
            if value == "let":
                self.take()
                name = self.take("name")[1]
                self.take("op", "=")
                expr = self.expression()
                self.take("op", ";")
                return ("let", name, expr)
            if value == "if":
                self.take()
                cond = self.expression()
                then = self.block()
                other = None
                if self.peek() == ("kw", "else"):
                    self.take()
                    other = self.block()
                return ("if", cond, then, other)
            if value == "while":
                self.take()
                return ("while", self.expression(), self.block())
            if value == "return":
                self.take()
                expr = self.expression()
                self.take("op", ";")
                return ("return", expr)
        expr = self.expression()
        if self.peek() == ("op", "="):
            self.take()
            value = self.expression()
            self.take("op", ";")
            if expr[0] == "var":
                return ("assign", expr[1], value)
            if expr[0] == "index":
                return ("setitem", expr[1], expr[2], value)
            raise LangError("cannot assign to that")
        self.take("op", ";")
        return ("expr", expr)

    def expression(self, min_prec=1):
        left = self.primary()
        while True:
            kind, op = self.peek()
            prec = self.PRECEDENCE.get(op) if kind == "op" else None
            if prec is None or prec < min_prec:
                return left
            self.take()
            right = self.expression(prec + 1)
            left = ("binop", op, left, right)

    def primary(self):
        kind, value = self.take()
        if kind == "num":
            node = ("const", value)
        elif kind == "str":
            node = ("const", value)
        elif kind == "name":
            if self.peek() == ("op", "("):
                self.take()
                args = []
                while self.peek() != ("op", ")"):
                    args.append(self.expression())
                    if self.peek() == ("op", ","):
                        self.take()
                self.take("op", ")")
                node = ("call", value, tuple(args))
            else:
                node = ("var", value)
        elif (kind, value) == ("op", "("):
            node = self.expression()
            self.take("op", ")")
        elif (kind, value) == ("op", "["):
            items = []
            while self.peek() != ("op", "]"):
                items.append(self.expression())
                if self.peek() == ("op", ","):
                    self.take()
            self.take("op", "]")
            node = ("list", tuple(items))
        elif (kind, value) == ("op", "-"):
            node = ("binop", "-", ("const", 0), self.primary())
        else:
            raise LangError(f"unexpected {value!r}")
        while self.peek() == ("op", "["):
            self.take()
            index = self.expression()
            self.take("op", "]")
            node = ("index", node, index)
        return node


class Scope:
    def __init__(self, parent=None):
        self.vars = {}
        self.parent = parent

    def lookup(self, name):
        scope = self
        while scope is not None:
            if name in scope.vars:
                return scope.vars
            scope = scope.parent
        raise LangError(f"undefined variable {name}")

    def get(self, name):
        return self.lookup(name)[name]

    def set(self, name, value):
        self.lookup(name)[name] = value

    def define(self, name, value):
        self.vars[name] = value


class Function:
    def __init__(self, name, params, body, closure):
        self.name = name
        self.params = params
        self.body = body
        self.closure = closure


class Interpreter:
    def __init__(self):
        self.output = []
        self.calls = 0
        self.globals = Scope()
        self.builtins = {
            "len": len,
            "push": lambda xs, v: xs.append(v),
            "print": lambda *args: self.output.append(" ".join(str(a) for a in args)),
        }

    def run(self, tree, **inputs):
        for name, value in inputs.items():
            self.globals.define(name, value)
        self.execute(tree, self.globals)
        return self.output

    def execute(self, node, scope):
        tag = node[0]
        if tag == "block":
            for stmt in node[1]:
                self.execute(stmt, scope)
        elif tag == "let":
            scope.define(node[1], self.evaluate(node[2], scope))
        elif tag == "assign":
            scope.set(node[1], self.evaluate(node[2], scope))
        elif tag == "setitem":
            target = self.evaluate(node[1], scope)
            target[self.evaluate(node[2], scope)] = self.evaluate(node[3], scope)
        elif tag == "if":
            if self.evaluate(node[1], scope):
                self.execute(node[2], Scope(scope))
            elif node[3] is not None:
                self.execute(node[3], Scope(scope))
        elif tag == "while":
            while self.evaluate(node[1], scope):
                self.execute(node[2], Scope(scope))
        elif tag == "return":
            raise Return(self.evaluate(node[1], scope))
        elif tag == "fn":
            scope.define(node[1], Function(node[1], node[2], node[3], scope))
        elif tag == "expr":
            self.evaluate(node[1], scope)
        else:
            raise LangError(f"unknown statement {tag}")

    def evaluate(self, node, scope):
        tag = node[0]
        if tag == "const":
            return node[1]
        if tag == "var":
            return scope.get(node[1])
        if tag == "binop":
            op, a, b = node[1], self.evaluate(node[2], scope), self.evaluate(node[3], scope)
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            if op == "/":
                return a // b
            if op == "%":
                return a % b
            if op == "<":
                return int(a < b)
            if op == "<=":
                return int(a <= b)
            if op == ">":
                return int(a > b)
            if op == ">=":
                return int(a >= b)
            if op == "==":
                return int(a == b)
            if op == "!=":
                return int(a != b)
            raise LangError(f"unknown operator {op}")
        if tag == "call":
            args = [self.evaluate(a, scope) for a in node[2]]
            if node[1] in self.builtins:
                return self.builtins[node[1]](*args)
            func = scope.get(node[1])
            if len(args) != len(func.params):
                raise LangError(f"{func.name} takes {len(func.params)} arguments")
            frame = Scope(func.closure)
            for name, value in zip(func.params, args):
                frame.define(name, value)
            self.calls += 1
            try:
                self.execute(func.body, frame)
            except Return as ret:
                return ret.value
            return 0
        if tag == "index":
            return self.evaluate(node[1], scope)[self.evaluate(node[2], scope)]
        if tag == "list":
            return [self.evaluate(item, scope) for item in node[1]]
        raise LangError(f"unknown expression {tag}")


def bench_minilang(size):
    tree = Parser(lex(SOURCE)).program()
    interp = Interpreter()
    output = interp.run(tree, size=size)
    return output, interp.calls


def main():
    size = int(sys.argv[1]) if len(sys.argv) > 1 else SIZE
    output, calls = bench_minilang(size)
    for line in output:
        print(line)
    print(f"{calls} calls")


if __name__ == "__main__":
    main()
