"""samestory.dask on a LocalCluster with 2 worker processes gives the single-machine CLI's results."""

import dask.bag as db
import pytest

import samestory
import samestory.dask as sd
from conftest import cli, shared


@pytest.mark.parametrize("name", ["giveme5w1h-news-cluster-dev", "reuters21578"])
def test_dedup_and_stories_equal_the_cli(client, tmp_path, name):
    path = shared("data", name)
    # Small partitions, so that Reuters's 22 files become 21 partitions and every shuffle matters.
    corpus = sd.corpus(path, partition_bytes=2 << 20)
    report = tmp_path / "dedup.jsonl"
    expected = cli("dedup", "--report", str(report), path, output=report)
    result = sd.dedup(corpus)
    assert result.report() == expected
    assert result.counts["read"] == result.counts["accepted"] + result.counts["rejected"]
    for window in (0, 2):
        out = tmp_path / f"stories-{window}.jsonl"
        expected = cli("cluster", "--window", str(window), "-o", str(out), path, output=out)
        assert sd.stories(corpus, window_days=window).stories_jsonl() == expected, f"window {window}"


def test_a_bag_of_documents_is_a_corpus(client):
    docs = samestory.read(shared("data", "giveme5w1h-news-cluster-dev"))
    bag = db.from_sequence(docs, npartitions=4)
    assert sd.dedup(bag).groups == samestory.dedup(docs)
    story, centrality = samestory.cluster(docs)
    assert sd.stories(bag).stories_jsonl() == samestory.format_stories(docs, story, centrality)


def test_duplicate_ids_across_partitions_are_an_error(client):
    docs = [samestory.Document("same", "a text about one thing and another thing entirely"),
            samestory.Document("same", "a second text about other things and more words")]
    with pytest.raises(ValueError, match="same"):
        sd.dedup(db.from_sequence(docs, npartitions=2))


def test_an_empty_corpus(client):
    assert sd.dedup(db.from_sequence([], npartitions=1)).groups == []


def test_the_cli_hands_dedup_and_cluster_to_a_scheduler(tmp_path):
    path = shared("data", "giveme5w1h-news-cluster-dev")
    local = tmp_path / "local.jsonl"
    remote = tmp_path / "dask.jsonl"
    expected = cli("dedup", "--report", str(local), path, output=local)
    assert cli("dedup", "--dask", "local:2", "--report", str(remote), path, output=remote) == expected
    expected = cli("cluster", "-o", str(local), path, output=local)
    assert cli("cluster", "--dask", "local:2", "-o", str(remote), path, output=remote) == expected
