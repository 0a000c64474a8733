"""The engine module's API: reading, cleaning, signatures, dedup, alignment, clustering."""

import os
import pickle

import numpy as np
import pytest

import samestory
from conftest import cli, shared


def seeds():
    docs = samestory.read(shared("seeds"))
    assert len(docs) == 2
    return {d.outlet: d for d in docs}


def test_reads_the_seeds_with_their_date_and_distinct_outlets():
    docs = samestory.read(shared("seeds"))
    assert [d.date for d in docs] == ["2025-02-18", "2025-02-18"]
    assert len({d.outlet for d in docs}) == 2
    assert all(d.day == 20137 for d in docs)
    assert docs[0].source.endswith(":1")


def test_read_accounts_for_every_record_and_strict_raises(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"id":"a","text":"fine text here"}\n{"id":"b"}\n{"id":"c","text":"cut\n')
    docs, counts = samestory.read_with_counts(str(bad))
    assert [d.id for d in docs] == ["a"]
    assert counts["read"] == counts["accepted"] + counts["rejected"] == 3
    assert sum(counts["rejected_by_reason"].values()) == 2
    with pytest.raises(ValueError):
        samestory.read(str(bad), strict=True)


def test_fields_map_input_names(tmp_path):
    f = tmp_path / "x.jsonl"
    f.write_text('{"key":"k1","body":"words of the body","when":"2024-05-06"}\n')
    (doc,) = samestory.read(str(f), fields={"id": "key", "text": "body", "date": "when"})
    assert (doc.id, doc.text, doc.date) == ("k1", "words of the body", "2024-05-06")


def test_documents_are_made_and_pickled():
    d = samestory.Document("x", "Some text.", title="T", outlet="o", date="2024-01-02T03:04:05Z", url="u")
    assert d.date == "2024-01-02T03:04:05Z" and d.day == 19724
    back = pickle.loads(pickle.dumps(d))
    assert (back.id, back.text, back.title, back.outlet, back.date, back.url) == ("x", "Some text.", "T", "o",
                                                                                  d.date, "u")
    with pytest.raises(ValueError):
        samestory.Document("y", "t", date="not a date")


def test_cleaner_removes_the_seeds_boilerplate_and_says_why():
    s = seeds()
    independent = next(d for o, d in s.items() if "000_" in o or "independent" in o.lower())
    scotsman = next(d for d in s.values() if d is not independent)
    out = samestory.clean(independent.text, independent.outlet)
    removed = [independent.text[r["begin"]:r["end"]] for r in out["removed"]]
    assert any("Your support helps us to tell the story" in r for r in removed)
    assert all(r["reason"] for r in out["removed"])
    assert "Your support helps us" not in out["text"]
    assert "Lavrov" in out["text"]
    out = samestory.Cleaner().clean(scotsman.text, scotsman.outlet)
    assert "Advertisement Hide Ad" not in out["text"]
    assert "Sign up to our Politics newsletter" not in out["text"]
    cleaner = pickle.loads(pickle.dumps(samestory.Cleaner()))
    assert cleaner.clean(scotsman.text)["text"] == out["text"]


def test_signatures_are_a_numpy_array_that_owns_its_memory():
    texts = ["the quick brown fox jumps over the lazy dog " * 5, "the quick brown fox jumps over the lazy dog " * 5,
             "an entirely different sentence about markets and prices and rates"]
    sig = samestory.signatures(texts, num_hashes=128)
    assert sig.shape == (3, 128) and sig.dtype == np.uint32
    assert sig.base is not None  # a view of the engine's buffer, not a copy
    assert (sig[0] == sig[1]).all()
    assert (sig[0] == sig[2]).mean() < 0.2
    near = samestory.signatures(["one two three four five six seven eight nine ten eleven twelve",
                                 "one two three four five six seven eight nine ten eleven twelve thirteen"])
    assert (near[0] == near[1]).mean() > 0.6


def test_dedup_gives_the_cli_report_on_reuters(tmp_path):
    path = shared("data", "reuters21578")
    report = tmp_path / "cli.jsonl"
    expected = cli("dedup", "--report", str(report), path, output=report)
    groups, stats = samestory.dedup(samestory.read(path), with_stats=True)
    assert "".join(samestory.format_group(i + 1, g) for i, g in enumerate(groups)) == expected
    assert stats["documents"] == 20841
    with pytest.raises(ValueError):
        samestory.dedup([], keep="newest")


def test_align_finds_the_seeds_shared_passages_with_offsets():
    a, b = list(seeds().values())
    result = samestory.align(a.text, b.text)
    assert len(result["passages"]) == 5
    assert 0.3 < result["a_shared"] < 0.6 and 0.3 < result["b_shared"] < 0.6
    p = max(result["passages"], key=lambda p: p["matched_words"])
    assert a.text[p["a_begin"]:p["a_end"]].split()[:3] == b.text[p["b_begin"]:p["b_end"]].split()[:3]


def test_cluster_gives_the_cli_stories_on_giveme(tmp_path):
    path = shared("data", "giveme5w1h-news-cluster-dev")
    out = tmp_path / "stories.jsonl"
    expected = cli("cluster", "-o", str(out), path, output=out)
    docs = samestory.read(path)
    story, centrality = samestory.cluster(docs)
    assert story.dtype == np.uint32 and centrality.dtype == np.float32 and len(story) == len(docs)
    assert samestory.format_stories(docs, story, centrality) == expected


def test_document_frequencies_merge_and_pickle(tmp_path):
    df = samestory.DocumentFrequencies()
    df.add_bags(np.array([5, 7, 5], np.uint32), np.ones(3, np.float32), np.array([0, 2, 3], np.uint64))
    other = pickle.loads(pickle.dumps(df))
    other.merge(df)
    assert other.documents == 4
    other.save(str(tmp_path / "idf.txt"))
    assert samestory.DocumentFrequencies.load(str(tmp_path / "idf.txt")).documents == 4


def test_input_files_lists_what_a_directory_expands_to():
    files = samestory.input_files([shared("seeds")])
    assert [os.path.basename(p) for p, _ in files] == ["000_87ac6df4963aa302.txt", "004_70fe69c53f983c99.txt"]
    assert all(size > 1000 for _, size in files)
