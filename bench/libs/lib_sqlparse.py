"""sqlparse (a non-validating SQL lexer, grouper and formatter): split a generated script of
SELECT/INSERT/UPDATE/CREATE statements, parse each into a token tree, walk it (identifiers,
functions, WHERE clauses, comparisons), and pretty-print the script with reindentation,
upper-case keywords and stripped comments.

    python lib_sqlparse.py [STATEMENTS]
"""
import hashlib
import sys

import sqlparse
from sqlparse import sql, tokens as T

SIZE = 20  # statements in the script


def script(n):
    out = []
    for i in range(n):
        kind = i % 4
        if kind == 0:
            out.append(f"-- report {i}\nselect o.id, c.name as customer, sum(l.qty * l.price) total, count(*) "
                       f"from orders o join customers c on c.id = o.customer_id left join lines l on l.order_id = o.id "
                       f"where o.status in ('open', 'shipped') and o.placed >= '2024-0{i % 9 + 1}-01' and c.country <> 'XX' "
                       f"group by o.id, c.name having sum(l.qty) > {i % 7} order by total desc limit {10 + i};")
        elif kind == 1:
            out.append(f"insert into audit (id, who, what, at) values ({i}, 'user{i}', 'update \"x\" of {i}', now()), "
                       f"({i + 1}, 'user{i + 1}', 'delete', current_timestamp);")
        elif kind == 2:
            out.append(f"update products set price = price * 1.0{i % 10}, updated = now() "
                       f"where category = 'cat{i % 5}' and (stock > {i} or discontinued is null) /* bulk */;")
        else:
            out.append(f"create table if not exists t{i} (id integer primary key, name varchar({i + 10}) not null, "
                       f"price numeric(10, 2) default 0, created timestamp);")
    return "\n".join(out)


def walk(token, counts):
    for tok in token.tokens if token.is_group else ():
        if isinstance(tok, sql.Identifier):
            counts["identifiers"] += 1
            if tok.get_alias():
                counts["aliases"] += 1
        elif isinstance(tok, sql.Function):
            counts["functions"] += 1
        elif isinstance(tok, sql.Where):
            counts["where"] += 1
        elif isinstance(tok, sql.Comparison):
            counts["comparisons"] += 1
        if tok.ttype in T.Keyword or tok.ttype in T.Keyword.DML or tok.ttype in T.Keyword.DDL:
            counts["keywords"] += 1
        walk(tok, counts)


def bench_sqlparse(n):
    text = script(n)
    statements = sqlparse.split(text)
    counts = dict.fromkeys(("identifiers", "aliases", "functions", "where", "comparisons", "keywords"), 0)
    types = []
    for stmt in sqlparse.parse(text):
        types.append(stmt.get_type())
        walk(stmt, counts)
    pretty = sqlparse.format(text, reindent=True, keyword_case="upper", identifier_case="lower",
                             strip_comments=True)
    lines = pretty.splitlines()
    return (len(statements), sorted(counts.items()), sorted(set(types)), len(lines),
            hashlib.sha256(pretty.encode()).hexdigest()[:16], lines[:8])


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else SIZE
    count, counts, types, nlines, digest, head = bench_sqlparse(n)
    print(f"{count} statements {types}, {nlines} formatted lines, digest {digest}")
    print(counts)
    print("\n".join(head))


if __name__ == "__main__":
    main()
