#!/usr/bin/python3
"""Generates a large dated corpus of re-run stories for bench/cluster_scale.sh.

Each story takes one base article (Reuters-21578 and Giveme5W1H texts, as `samestory read`
writes them), a day of 2024 and a size (1-30, mean about 3); each member is the base article as
one of 400 invented outlets re-ran it: sentences dropped, a few words misspelt, the outlet's own
footer added, published on the story's day or up to three days later. A base article is reused
by several stories, a month or more apart. Output: JSON Lines in date order, with the story as
`label`. Deterministic for a given seed.

Usage: gen_stories.py ARTICLES OUT.jsonl BASE.jsonl...
"""
import json
import random
import re
import sys


def main(count, out_path, bases):
    rng = random.Random(2024)
    texts = []
    for path in bases:
        for line in open(path, encoding="utf-8"):
            d = json.loads(line)
            if len((d.get("text") or "").split()) >= 40:
                texts.append((d.get("title") or "", d["text"]))
    rng.shuffle(texts)
    outlets = ["outlet%03d.example" % i for i in range(400)]
    footers = {o: "Sign up to the %s morning briefing. Follow %s on social media for more." % (o, o) for o in outlets}

    # Plan the stories first (cheap), then write members in date order.
    plan = []  # (day, story, base, member)
    story = 0
    reuse = 0
    while len(plan) < count:
        base = story % len(texts)
        if base == 0 and story > 0:
            reuse += 1
        size = min(30, 1 + int(rng.expovariate(1 / 2.0)))
        day = (base * 7 + reuse * 37) % 366
        for m in range(size):
            plan.append((min(365, day + rng.choice((0, 0, 0, 1, 1, 2, 3))), story, base, m))
        story += 1
    del plan[count:]
    plan.sort()

    split = re.compile(r"(?<=[.!?])\s+")
    with open(out_path, "w", encoding="utf-8") as out:
        for n, (day, story_id, base, member) in enumerate(plan):
            r = random.Random(story_id * 1000 + member)
            title, text = texts[base]
            sentences = split.split(text)
            kept = [s for i, s in enumerate(sentences) if i == 0 or r.random() > 0.1]
            words = " ".join(kept).split(" ")
            for _ in range(max(1, len(words) // 50)):
                i = r.randrange(len(words))
                w = words[i]
                if len(w) > 3:
                    j = r.randrange(len(w) - 1)
                    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
            outlet = outlets[r.randrange(len(outlets))]
            month_day = divmod(day, 31)
            date = "2024-%02d-%02d" % (min(12, 1 + day * 12 // 366), 1 + day % 28)
            del month_day
            out.write(json.dumps({
                "id": "a%d" % n,
                "outlet": outlet,
                "date": date,
                "title": title,
                "text": " ".join(words) + "\n\n" + footers[outlet],
                "label": "s%d" % story_id,
            }) + "\n")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], sys.argv[3:])
