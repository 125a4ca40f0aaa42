"""A small WSGI service, the kind s6c is meant for: JSON quotes for orders and a text digest.

Served by gunicorn with pre-forked workers (see README.md): the code that does the work runs in
the workers, never in the process that was started.
"""
import json
import os
from urllib.parse import parse_qs

PRICES = {"apple": 125, "pear": 210, "plum": 95, "fig": 480, "kiwi": 60, "lime": 35}
TIERS = ((100, 12), (50, 8), (20, 5), (10, 2))


def line_total(price, qty):
    """Cents for `qty` units at `price`, with a volume discount in percent."""
    discount = 0
    for threshold, percent in TIERS:
        if qty >= threshold:
            discount = percent
            break
    gross = price * qty
    return gross - gross * discount // 100


def quote(order):
    lines = []
    subtotal = 0
    for name, qty in order:
        price = PRICES.get(name)
        if price is None:
            lines.append({"item": name, "error": "unknown item"})
            continue
        total = line_total(price, qty)
        subtotal += total
        lines.append({"item": name, "qty": qty, "cents": total})
    tax = (subtotal * 8 + 50) // 100
    return {"lines": lines, "subtotal": subtotal, "tax": tax, "total": subtotal + tax}


def digest(text, rounds):
    """A checksum computed the slow way: the service's CPU-bound endpoint."""
    h = 2166136261
    for _ in range(rounds):
        for ch in text:
            h = ((h ^ ord(ch)) * 16777619) & 0xFFFFFFFF
    return h


def parse_order(query):
    order = []
    for spec in query.get("item", []):
        name, _, qty = spec.partition(":")
        order.append((name, int(qty) if qty.isdigit() else 1))
    return order


def app(environ, start_response):
    query = parse_qs(environ.get("QUERY_STRING", ""))
    path = environ.get("PATH_INFO", "/")
    if path == "/quote":
        status, body = "200 OK", quote(parse_order(query))
    elif path == "/digest":
        text = query.get("text", [""])[0]
        rounds = min(int(query.get("rounds", ["1"])[0]), 500)
        status, body = "200 OK", {"text": text, "digest": digest(text, rounds)}
    else:
        status, body = "404 Not Found", {"error": f"no such endpoint: {path}"}
    data = json.dumps(body, sort_keys=True).encode()
    # Which worker answered (a header, so that bodies compare equal across runs).
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(data))),
               ("X-Worker", str(os.getpid()))]
    start_response(status, headers)
    return [data]
