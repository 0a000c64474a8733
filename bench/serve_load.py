#!/usr/bin/python3
"""HTTP ingest load for bench/serve.sh (GETs are driven by wrk and bench/serve_get.lua).

  serve_load.py ingest BASE CORPUS.jsonl SKIP COUNT BATCH CLIENTS
      posts COUNT articles of the corpus (after the first SKIP lines), BATCH to a request, from
      CLIENTS connections at once; the bodies are encoded before the clock starts. Prints one
      JSON line: articles, seconds, articles_per_second, request latency percentiles (ms).

Standard library only, one keep-alive connection a thread.
"""
import http.client
import json
import sys
import threading
import time
from urllib.parse import urlparse


def percentiles(values):
    values = sorted(values)
    if not values:
        return {}
    pick = lambda q: values[min(len(values) - 1, int(q * len(values)))]
    return {"p50_ms": pick(0.50) * 1000, "p90_ms": pick(0.90) * 1000, "p99_ms": pick(0.99) * 1000,
            "max_ms": values[-1] * 1000}


def connect(base):
    u = urlparse(base)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=120)


def ingest(base, corpus, skip, count, batch, clients):
    lines = []
    with open(corpus, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i < skip:
                continue
            if len(lines) == count:
                break
            lines.append(line.strip())
    bodies = [("\n".join(lines[i:i + batch])).encode() for i in range(0, len(lines), batch)]
    latencies, order, statuses, lock = [], [], {}, threading.Lock()
    queue = list(reversed(bodies))

    def worker():
        conn = connect(base)
        while True:
            with lock:
                if not queue:
                    return
                body = queue.pop()
                number = len(bodies) - len(queue) - 1
            t = time.perf_counter()
            conn.request("POST", "/articles", body, {"Content-Type": "application/x-ndjson"})
            r = conn.getresponse()
            r.read()
            with lock:
                latencies.append(time.perf_counter() - t)
                order.append(number)
                statuses[r.status] = statuses.get(r.status, 0) + 1

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    print(json.dumps({"articles": len(lines), "requests": len(bodies), "batch": batch, "clients": clients,
                      "seconds": seconds, "articles_per_second": len(lines) / seconds, "statuses": statuses,
                      **percentiles(latencies),
                      # Which request (in sending order) was the slowest: the first ones after
                      # a restart pay for cold caches.
                      "slowest_request": order[latencies.index(max(latencies))] if latencies else None}))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "ingest":
        ingest(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]))
    else:
        sys.exit(__doc__)
