#!/usr/bin/env python3
"""Dump CPython 3.11's own view of code objects as JSON, for s6-py311's conformance tests.

Usage: dump_code_fixtures.py OUT.json MODULE_OR_PATH...  [--adaptive]

For every source file (a path, or a module name resolved with importlib) the module is compiled
like a .pyc and every nested code object (functions, lambdas, comprehensions, generators, class
bodies) is dumped with: its marshal bytes, field values (some read from the C struct through
ctypes), `dis.get_instructions`, the parsed exception table, `co_positions()` and const reprs.
With --adaptive it also runs a small warm-up workload in-process and dumps the quickened
`_co_code_adaptive` bytes and `dis.get_instructions(adaptive=True, show_caches=True)`.
"""
import ctypes
import dis
import importlib.util
import json
import marshal
import sys
import types

assert sys.version_info[:2] == (3, 11)


def c_int(co, off):
    return ctypes.c_int.from_address(id(co) + off).value


def nlocalsplus(co):
    return c_int(co, 76)


def const_info(c):
    if isinstance(c, types.CodeType):
        return {"type": "code", "qualname": c.co_qualname, "firstlineno": c.co_firstlineno}
    d = {"type": type(c).__name__, "repr": repr(c)}
    if isinstance(c, frozenset):
        d["items"] = [repr(e) for e in c]
    if isinstance(c, str):
        # surrogatepass bytes: JSON cannot carry lone surrogates in a str.
        d["utf8"] = c.encode("utf-8", "surrogatepass").hex()
    return d


def instrs(co, adaptive=False):
    out = []
    for ins in dis.get_instructions(co, adaptive=adaptive, show_caches=adaptive):
        d = {"offset": ins.offset, "opcode": ins.opcode, "opname": ins.opname, "arg": ins.arg}
        if ins.opcode in dis.hasjrel or dis._deoptop(ins.opcode) in dis.hasjrel:
            d["jump"] = ins.argval
        if ins.argrepr:
            d["argrepr"] = ins.argrepr
        out.append(d)
    return out


def code_record(co):
    return {
        "qualname": co.co_qualname,
        "name": co.co_name,
        "filename": co.co_filename,
        "firstlineno": co.co_firstlineno,
        "marshal": marshal.dumps(co).hex(),
        "argcount": co.co_argcount,
        "posonlyargcount": co.co_posonlyargcount,
        "kwonlyargcount": co.co_kwonlyargcount,
        "stacksize": co.co_stacksize,
        "flags": co.co_flags,
        "nlocals": co.co_nlocals,
        "nlocalsplus": nlocalsplus(co),
        "nplaincellvars": c_int(co, 84),
        "ncellvars": c_int(co, 88),
        "nfreevars": c_int(co, 92),
        "firsttraceable": c_int(co, 168),
        "code": co.co_code.hex(),
        "names": list(co.co_names),
        "varnames": list(co.co_varnames),
        "cellvars": list(co.co_cellvars),
        "freevars": list(co.co_freevars),
        "localsplusnames": [co._varname_from_oparg(i) for i in range(nlocalsplus(co))],
        "consts": [const_info(c) for c in co.co_consts],
        "linetable": co.co_linetable.hex(),
        "exceptiontable": co.co_exceptiontable.hex(),
        "instructions": instrs(co),
        "handlers": [[e.start, e.end, e.target, e.depth, e.lasti]
                     for e in dis._parse_exception_table(co)],
        "positions": [list(p) for p in co.co_positions()],
    }


def walk(co):
    yield co
    for c in co.co_consts:
        if isinstance(c, types.CodeType):
            yield from walk(c)


def source_path(arg):
    if arg.endswith(".py"):
        return arg
    spec = importlib.util.find_spec(arg)
    if spec is None or not spec.origin:
        raise SystemExit(f"cannot find module {arg}")
    return spec.origin


# Warm-up workload for the adaptive snapshot: each function runs enough to quicken and
# specialize (no tracing or PEP 523 hook is active here).
WARM_SRC = '''
class P:
    def __init__(self, x, y):
        self.x = x
        self.y = y

def arith(n):
    t = 0
    f = 0.5
    for i in range(n):
        t = t + i * 2 - 1
        f = f * 1.0 + 0.25
        if i < n:
            t += 1
    return t, f

def attrs(ps):
    s = 0
    for p in ps:
        s += p.x + p.y
    return s, len(ps), isinstance(s, int)

def subs(xs, d):
    a = 0
    for i in range(len(xs)):
        a += xs[i] + d["k"]
    return a, [x for x in xs if x > 2]

def loop(n, x):
    i = 0
    while i < n:
        i += 1
        if x == 1.5:
            i += 0
    return i

def big_args(n):
    x = 0
    ''' + "\n    ".join(f"x += {i}" for i in range(300)) + '''
    for i in range(n):
        x += i
    return x
'''


def adaptive_records():
    ns = {}
    exec(compile(WARM_SRC, "<s6-warm>", "exec"), ns)
    ps = [ns["P"](i, i + 1) for i in range(10)]
    for _ in range(50):
        ns["arith"](20)
        ns["attrs"](ps)
        ns["subs"]([1, 2, 3, 4], {"k": 1})
        ns["big_args"](3)
        ns["loop"](10, 2.5)
    out = []
    for name in ["arith", "attrs", "subs", "loop", "big_args"]:
        co = ns[name].__code__
        out.append({
            "qualname": co.co_qualname,
            "code": co.co_code.hex(),
            "adaptive": co._co_code_adaptive.hex(),
            "instructions": instrs(co, adaptive=True),
        })
    return out


def main(argv):
    adaptive = "--adaptive" in argv
    args = [a for a in argv if a != "--adaptive"]
    out_path, mods = args[0], args[1:]
    modules = []
    for m in mods:
        path = source_path(m)
        with open(path, "rb") as f:
            src = f.read()
        top = compile(src, path, "exec", dont_inherit=True)
        modules.append({
            "module": m,
            "path": path,
            "marshal": marshal.dumps(top).hex(),
            "pyc": importlib._bootstrap_external._code_to_timestamp_pyc(top, 0, len(src)).hex(),
            "codes": [code_record(co) for co in walk(top)],
        })
    doc = {"python": sys.version, "modules": modules}
    if adaptive:
        doc["adaptive"] = adaptive_records()
    with open(out_path, "w") as f:
        json.dump(doc, f)


if __name__ == "__main__":
    main(sys.argv[1:])
