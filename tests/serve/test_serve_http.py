"""samestory serve over real HTTP: the API's answers, its refusals, and its durability.

Each test starts the binary ($SAMESTORY_BINARY) on a free loopback port with its own database.
The kill -9 test streams POSTs, kills the server without warning, restarts it and checks that
every acknowledged article is there and the rebuilt index still finds copies of them.
"""
import json
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

BINARY = os.environ.get("SAMESTORY_BINARY", str(Path(__file__).resolve().parents[2] / "build" / "samestory"))
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles.jsonl"


def example_articles():
    return [json.loads(line) for line in EXAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]


class Server:
    def __init__(self, db, *flags, env=None):
        self.db = db
        self.proc = subprocess.Popen([BINARY, "serve", "--db", str(db), "--listen", "127.0.0.1:0", *flags],
                                     stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})
        deadline = time.time() + 60
        self.base = None
        while time.time() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                break
            m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if m:
                self.base = f"http://127.0.0.1:{m.group(1)}"
                break
        assert self.base, f"the server did not start (exit {self.proc.poll()})"
        # Keep draining stderr so the server never blocks on a full pipe.
        threading.Thread(target=self.proc.stderr.read, daemon=True).start()

    def request(self, method, path, body=None, token=None, content_type="application/json"):
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", content_type)
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                raw = r.read()
                return r.status, (json.loads(raw) if r.headers.get_content_type() == "application/json" else raw.decode())
        except urllib.error.HTTPError as e:
            raw = e.read()
            return e.code, json.loads(raw) if raw.startswith(b"{") else raw.decode()

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=60)
        return self.proc.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


@pytest.fixture
def tmp(tmp_path):
    return tmp_path


def test_post_then_read_back_and_delete(tmp):
    with Server(tmp / "i.db") as s:
        status, reply = s.request("POST", "/articles", example_articles())
        assert status == 201, reply
        assert reply["indexed"] == 28 and reply["rejected"] == 0
        by_id = {a["id"]: a for a in reply["articles"]}
        courier = by_id["courier-5520"]
        assert courier["duplicate"]["relation"] == "contained"
        assert courier["duplicate"]["of"] == "mp-2025-0303-bridge"
        assert courier["matches"][0]["passages"], "the copy's shared passages come back at once"
        story = courier["story"]
        assert by_id["mp-2025-0303-bridge"]["story"] == story

        status, article = s.request("GET", "/articles/courier-5520")
        assert status == 200 and article["story"] == story and article["duplicate"]["of"] == "mp-2025-0303-bridge"
        passage = courier["matches"][0]["passages"][0]
        assert 0 <= passage["begin"] < passage["end"] <= len(article["text"])

        status, matches = s.request("GET", "/articles/mp-2025-0303-bridge/matches")
        assert status == 200 and "courier-5520" in {m["id"] for m in matches["matches"]}

        status, st = s.request("GET", f"/stories/{story}")
        assert status == 200 and {"courier-5520", "mp-2025-0303-bridge"} <= {m["id"] for m in st["members"]}
        assert st["first"]["id"] == "mp-2025-0303-bridge"

        status, found = s.request("GET", "/stories?q=harbour%20bridge")
        assert status == 200 and story in {x["id"] for x in found["stories"]}
        status, found = s.request("GET", "/stories?outlet=Meridian%20Press&since=2025-03-03&until=2025-03-03")
        assert status == 200 and story in {x["id"] for x in found["stories"]}
        status, found = s.request("GET", "/stories?since=2030-01-01")
        assert status == 200 and found["stories"] == []

        status, cmp = s.request("GET", "/compare?a=courier-5520&b=mp-2025-0303-bridge")
        assert status == 200 and cmp["passages"] and cmp["a"]["id"] == "courier-5520"

        status, _ = s.request("DELETE", "/articles/courier-5520")
        assert status == 200
        assert s.request("GET", "/articles/courier-5520")[0] == 404
        assert s.request("DELETE", "/articles/courier-5520")[0] == 404
        status, st = s.request("GET", f"/stories/{story}")
        assert "courier-5520" not in {m["id"] for m in st["members"]}

        status, metrics = s.request("GET", "/metrics")
        assert status == 200 and "samestory_articles 27" in metrics
        assert 'samestory_http_requests_total{route="/articles",method="POST",code="201"} 1' in metrics
        stages = dict(re.findall(r'^samestory_ingest_seconds_total\{stage="(\w+)"\} ([\d.]+)$', metrics, re.M))
        assert set(stages) == {"copies", "stories", "rows", "align", "commit", "other"}
        assert float(stages["rows"]) > 0 and float(stages["commit"]) > 0
        assert s.stop() == 0, "SIGTERM stops the server cleanly (snapshot saved)"


def test_writes_need_the_token(tmp):
    with Server(tmp / "i.db", env={"SAMESTORY_TOKEN": "s3cret"}) as s:
        article = example_articles()[0]
        status, reply = s.request("POST", "/articles", article)
        assert status == 401 and "token" in reply["error"]
        assert s.request("POST", "/articles", article, token="wrong")[0] == 401
        assert s.request("POST", "/articles", article, token="s3cret")[0] == 201
        assert s.request("DELETE", f"/articles/{article['id']}")[0] == 401
        assert s.request("GET", f"/articles/{article['id']}")[0] == 200, "reads need no token"


def test_a_token_file_and_read_only(tmp):
    (tmp / "token").write_text("from-a-file\n")
    with Server(tmp / "i.db", "--token-file", str(tmp / "token")) as s:
        assert s.request("POST", "/articles", example_articles()[0], token="from-a-file")[0] == 201
    with Server(tmp / "i.db", "--read-only") as s:
        status, reply = s.request("POST", "/articles", example_articles()[1])
        assert status == 403
        assert s.request("GET", "/articles/" + example_articles()[0]["id"])[0] == 200


def test_refuses_to_listen_writable_beyond_loopback_without_a_token(tmp):
    env = {k: v for k, v in os.environ.items() if k != "SAMESTORY_TOKEN"}
    r = subprocess.run([BINARY, "serve", "--db", str(tmp / "i.db"), "--listen", "0.0.0.0:0"], capture_output=True,
                       text=True, timeout=60, env=env)
    assert r.returncode == 2 and "without a token" in r.stderr


@pytest.mark.parametrize("body, status, needle", [
    (b"", 400, "no body"),
    (b"{\"id\": \"x\", \"text\": \"trunc", 400, "truncated"),
    (b"[1, 2, 3]", 400, "not an object"),
    (b"{\"text\": \"an article without an id\"}", 400, "no id"),
    (b"{\"id\": \"only-an-id\"}", 400, "no text"),
    (b"\x00\x01\x02binary\xff\xfe" * 100, 400, "binary"),
    (b"not json at all", 400, "malformed"),
])
def test_bad_bodies_get_a_4xx_and_harm_nothing(tmp, body, status, needle):
    with Server(tmp / "i.db") as s:
        got, reply = s.request("POST", "/articles", body)
        assert got == status, reply
        text = json.dumps(reply)
        assert needle in text, text
        assert s.request("GET", "/health")[0] == 200
        assert s.request("POST", "/articles", example_articles()[0])[0] == 201


def test_oversized_bodies_and_repeated_ids(tmp):
    with Server(tmp / "i.db", "--max-body-mb", "1") as s:
        big = {"id": "big", "text": "word " * 400_000}
        status, reply = s.request("POST", "/articles", big)
        assert status == 413, reply
        article = example_articles()[0]
        assert s.request("POST", "/articles", article)[0] == 201
        status, reply = s.request("POST", "/articles", article)
        assert status == 409 and reply["articles"][0]["status"] == "duplicate_id"
        status, reply = s.request("POST", "/articles", [example_articles()[1], example_articles()[1]])
        assert status == 200 and [a["status"] for a in reply["articles"]] == ["indexed", "duplicate_id"]
        assert s.request("GET", "/health")[0] == 200
        assert s.request("GET", "/stories/notanumber")[0] == 404
        assert s.request("GET", "/stories?limit=0")[0] == 400


def variant(article, n):
    """The example article as the n-th outlet of a made-up wire service re-ran it."""
    a = dict(article)
    a["id"] = f"{article['id']}~{n}"
    a["text"] = article["text"] + f"\n\nFiled by desk {n}."
    return a


def test_kill_9_loses_no_acknowledged_article(tmp):
    articles = example_articles()
    acked = []
    db = tmp / "i.db"
    s = Server(db)
    stop = threading.Event()

    def writer():
        n = 0
        while not stop.is_set():
            batch = [variant(articles[(n + k) % len(articles)], n + k) for k in range(3)]
            n += 3
            try:
                status, reply = s.request("POST", "/articles", batch)
            except Exception:  # the server died mid-request: that batch was never acknowledged
                return
            if status in (200, 201):
                acked.extend(a["id"] for a in reply["articles"] if a["status"] == "indexed")

    t = threading.Thread(target=writer)
    t.start()
    time.sleep(2.0)
    s.proc.kill()  # SIGKILL: no shutdown, no snapshot
    s.proc.wait()
    stop.set()
    t.join()
    assert len(acked) > 20, "the writer got some articles acknowledged before the kill"

    with Server(db) as s2:
        status, health = s2.request("GET", "/health")
        assert status == 200 and health["articles"] >= len(acked)
        stories = {}
        for article_id in acked:
            status, a = s2.request("GET", "/articles/" + urllib.request.quote(article_id, safe=""))
            assert status == 200, article_id
            stories.setdefault(a["story"], set()).add(article_id)
        for story, ids in stories.items():
            status, st = s2.request("GET", f"/stories/{story}?limit=10000")
            assert status == 200 and ids <= {m["id"] for m in st["members"]}
        # The title index agrees with the articles: a word of an acknowledged title finds its story.
        status, a = s2.request("GET", "/articles/" + urllib.request.quote(acked[-1], safe=""))
        word = max(re.findall(r"\w+", a["title"]), key=len)
        status, found = s2.request("GET", "/stories?limit=1000&q=" + urllib.request.quote(word))
        assert status == 200 and a["story"] in {x["id"] for x in found["stories"]}
        # The rebuilt index still knows the texts: an exact re-post of an acknowledged article
        # under a new id is found as its copy.
        again = dict(variant(articles[0], 0))
        first = next(i for i in acked if i.startswith(articles[0]["id"] + "~"))
        status, original = s2.request("GET", "/articles/" + urllib.request.quote(first, safe=""))
        again["text"] = original["text"]
        again["id"] = "re-post"
        status, reply = s2.request("POST", "/articles", again)
        assert status == 201 and reply["articles"][0]["duplicate"]["relation"] == "exact"


def test_concurrent_readers_and_writers(tmp):
    articles = example_articles()
    with Server(tmp / "i.db") as s:
        errors = []

        def writer(w):
            for n in range(12):
                status, reply = s.request("POST", "/articles", [variant(articles[(w * 7 + n) % 28], f"w{w}n{n}")])
                if status != 201:
                    errors.append((status, reply))

        def reader():
            for _ in range(40):
                for path in ("/stories?limit=20", "/health", "/stories/1", "/articles/nope"):
                    status, reply = s.request("GET", path)
                    if status not in (200, 404) or not isinstance(reply, dict):
                        errors.append((path, status, reply))

        threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
        threads += [threading.Thread(target=reader) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        status, health = s.request("GET", "/health")
        assert health["articles"] == 48


def test_index_command_then_serve(tmp):
    db = tmp / "i.db"
    run = lambda: json.loads(subprocess.run([BINARY, "-q", "--json", "index", "--db", str(db), str(EXAMPLES)],
                                            capture_output=True, text=True, timeout=120, check=True).stdout)
    first = run()
    assert first["indexed"] == 28 and first["already_indexed"] == 0
    assert first["documents"]["accepted"] == first["indexed"] + first["already_indexed"]
    again = run()
    assert again["indexed"] == 0 and again["already_indexed"] == 28 and again["articles_in_index"] == 28
    with Server(db) as s:
        status, article = s.request("GET", "/articles/courier-5520")
        assert status == 200 and article["duplicate"]["of"] == "mp-2025-0303-bridge"
