"""A bounded load generator for app.py: `python client.py PORT REQUESTS CONCURRENCY OUT.json`.

Sends REQUESTS requests from a fixed, deterministic list of URLs to 127.0.0.1:PORT with
CONCURRENCY threads (stdlib only), and writes every (url, status, body) in request order plus
which worker answered each, so two runs can be compared byte for byte.
"""
import http.client
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

ITEMS = ["apple", "pear", "plum", "fig", "kiwi", "lime", "durian"]


def urls(n):
    out = []
    for i in range(n):
        if i % 3 == 2:
            out.append(f"/digest?text=order-{i % 17}-{'x' * (i % 23)}&rounds={40 + i % 60}")
        else:
            items = "&".join(f"item={ITEMS[(i + k) % len(ITEMS)]}:{(i * 7 + k * 13) % 120}"
                             for k in range(1 + i % 5))
            out.append(f"/quote?{items}")
    if n:
        out[-1] = "/missing"
    return out


def fetch(port, url):
    for attempt in range(50):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", url)
            r = conn.getresponse()
            body = r.read().decode()
            worker = r.getheader("X-Worker")
            conn.close()
            return [url, r.status, body], worker
        except ConnectionRefusedError:
            time.sleep(0.1)  # the server is still starting
    raise RuntimeError(f"127.0.0.1:{port} refused every connection")


def main():
    port, n, conc, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    fetch(port, "/quote?item=apple:1")  # wait until the server accepts
    with ThreadPoolExecutor(conc) as pool:
        results = list(pool.map(lambda u: fetch(port, u), urls(n)))
    responses = [r for r, _ in results]
    workers = sorted({w for _, w in results if w})
    with open(out, "w") as f:
        json.dump({"responses": responses, "workers": workers}, f)
    print(f"{len(responses)} responses from {len(workers)} worker(s)")


if __name__ == "__main__":
    main()
