"""pyparsing (parser combinators with backtracking: failed alternatives raise and catch
ParseException): an arithmetic grammar built with infix_notation (variables, functions,
exponentiation, unary minus) evaluated through parse actions, and a JSON-like grammar for
nested records; both run over generated inputs, with packrat caching on (as pyparsing's
documentation recommends for infix_notation grammars).

    python lib_pyparsing.py [COUNT]
"""
import math
import sys

import pyparsing as pp

pp.ParserElement.enable_packrat()

SIZE = 12  # expressions and documents parsed


def arithmetic_grammar(variables):
    number = pp.Regex(r"\d+(\.\d*)?([eE][-+]?\d+)?").set_parse_action(lambda t: float(t[0]))
    ident = pp.Word(pp.alphas, pp.alphanums + "_")
    expr = pp.Forward()
    call = (ident + pp.Suppress("(") + pp.Group(pp.Optional(pp.DelimitedList(expr))) + pp.Suppress(")"))
    call.set_parse_action(lambda t: FUNCS[t[0]](*t[1]))
    def lookup(s, loc, t):
        if t[0] not in variables:
            raise pp.ParseException(s, loc, f"unknown variable {t[0]!r}")
        return variables[t[0]]

    variable = ident.copy().set_parse_action(lookup)
    operand = number | call | variable

    def unary(t):
        return -t[0][1]

    def binary(t):
        items = t[0]
        value = items[0]
        for op, rhs in zip(items[1::2], items[2::2]):
            value = OPS[op](value, rhs)
        return value

    def power(t):
        items = t[0][::2]
        value = items[-1]
        for base in reversed(items[:-1]):
            value = base ** value
        return value

    expr <<= pp.infix_notation(operand, [
        ("-", 1, pp.OpAssoc.RIGHT, unary),
        ("^", 2, pp.OpAssoc.RIGHT, power),
        (pp.one_of("* / %"), 2, pp.OpAssoc.LEFT, binary),
        (pp.one_of("+ -"), 2, pp.OpAssoc.LEFT, binary),
    ])
    return expr


OPS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
       "/": lambda a, b: a / b, "%": lambda a, b: math.fmod(a, b)}
FUNCS = {"sin": math.sin, "cos": math.cos, "sqrt": math.sqrt, "max": max, "min": min,
         "hypot": math.hypot, "abs": abs}


def json_grammar():
    lbrack, rbrack, lbrace, rbrace, colon = map(pp.Suppress, "[]{}:")
    string = pp.QuotedString('"', esc_char="\\")
    number = pp.common.number
    literal = (pp.Keyword("true").set_parse_action(pp.replace_with(True))
               | pp.Keyword("false").set_parse_action(pp.replace_with(False))
               | pp.Keyword("null").set_parse_action(pp.replace_with(None)))
    value = pp.Forward()
    array = (lbrack + pp.Optional(pp.DelimitedList(value)) + rbrack).set_parse_action(lambda t: [list(t)])
    member = (string + colon + value).set_parse_action(lambda t: [(t[0], t[1])])
    obj = (lbrace + pp.Optional(pp.DelimitedList(member)) + rbrace).set_parse_action(lambda t: [dict(list(t))])
    value <<= string | number | literal | array | obj
    return value


def make_expression(k):
    a, b, c = k % 7 + 1, k % 5 + 2, k % 3
    return [
        f"{a} + {b} * x - (y / {b} + {c}) ^ 2",
        f"max({a}, sin(x) * {b}, -{c} + hypot(x, y)) % {b + 1}",
        f"-(-x + {a}) * (({b} - y) * ({c} + 1.5e-1)) / sqrt({a * b})",
        f"2 ^ 3 ^ {c % 2} - abs(min(x, y, {a})) + cos({k} * 0.1) * 10",
    ][k % 4]


def make_document(k):
    items = ", ".join(f'{{"id": {k * 10 + i}, "name": "item\\"{i}", "price": {i * 1.25 + k}, '
                      f'"tags": ["t{i % 3}", "k{k}"], "stock": {"true" if i % 2 else "false"}, "note": null}}'
                      for i in range(3 + k % 4))
    return f'{{"order": {k}, "customer": {{"name": "C{k}", "vip": {"true" if k % 3 == 0 else "false"}}}, "items": [{items}]}}'


def bench_pyparsing(count):
    variables = {"x": 1.5, "y": 4.0}
    arith = arithmetic_grammar(variables)
    values = []
    for k in range(count):
        result = arith.parse_string(make_expression(k), parse_all=True)[0]
        values.append(round(result, 9))
    failures = 0
    for bad in ("1 +", "max(1, 2", "3 * * 4", "(x + y"):
        try:
            arith.parse_string(bad, parse_all=True)
        except pp.ParseException:
            failures += 1
    grammar = json_grammar()
    totals = []
    for k in range(count):
        doc = grammar.parse_string(make_document(k), parse_all=True)[0]
        items = doc["items"]
        totals.append((doc["order"], len(items), round(sum(i["price"] for i in items), 6),
                       sum(1 for i in items if i["stock"]), doc["customer"]["vip"]))
    return round(sum(values), 6), values[:6], failures, totals[:4], sum(t[1] for t in totals)


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else SIZE
    for item in bench_pyparsing(count):
        print(item)


if __name__ == "__main__":
    main()
