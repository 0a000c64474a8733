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


RUN_FILES = ("stories.jsonl", "samestory.db", "report.html")


def same_files(a, b):
    return {f: (a / f).read_bytes() == (b / f).read_bytes() for f in RUN_FILES}


@pytest.mark.parametrize("inputs,window", [(("seeds", "data/giveme5w1h-news-cluster-dev"), 0),
                                           (("data/reuters21578",), 2)])
def test_the_main_job_equals_the_cli(client, tmp_path, inputs, window):
    paths = [shared(*i.split("/")) for i in inputs]
    cli("run", "--window", str(window), "-o", str(tmp_path / "cli"), *paths)
    result = sd.run(sd.corpus(paths, partition_bytes=2 << 20), str(tmp_path / "dask"), window_days=window)
    assert same_files(tmp_path / "cli", tmp_path / "dask") == {f: True for f in RUN_FILES}
    assert result.stats["articles"] == result.counts["accepted"] > 200
    assert result.stats["stories"] == (tmp_path / "dask" / "stories.jsonl").read_text().count("\n")
    if "seeds" in inputs:
        assert result.stats["copy_links"] > 0


def test_the_main_job_with_a_saved_model_or_without_cleaning(client, tmp_path):
    path = shared("data", "giveme5w1h-news-cluster-dev")
    model = tmp_path / "model.tsv"
    cli("clean", "--model", str(model), "-o", str(tmp_path / "cleaned.jsonl"), path)
    for flags, kwargs in ((["--clean-model", str(model)], {"clean_model": str(model)}), (["--no-clean"], {"clean": False})):
        cli("run", *flags, "-o", str(tmp_path / "cli"), path)
        sd.run(sd.corpus(path), str(tmp_path / "dask"), **kwargs)
        assert same_files(tmp_path / "cli", tmp_path / "dask") == {f: True for f in RUN_FILES}, flags


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


def test_an_empty_corpus(client, tmp_path):
    assert sd.dedup(db.from_sequence([], npartitions=1)).groups == []
    result = sd.run(db.from_sequence([], npartitions=1), str(tmp_path / "out"))
    assert result.stats["stories"] == 0
    assert (tmp_path / "out" / "stories.jsonl").read_bytes() == b""


def test_the_cli_hands_dedup_and_cluster_to_a_scheduler(tmp_path):
    path = shared("data", "giveme5w1h-news-cluster-dev")
    local = tmp_path / "local.jsonl"
    remote = tmp_path / "dask.jsonl"
    expected = cli("dedup", "--report", str(local), path, output=local)
    assert cli("dedup", "--dask", "local:2", "--report", str(remote), path, output=remote) == expected
    expected = cli("cluster", "-o", str(local), path, output=local)
    assert cli("cluster", "--dask", "local:2", "-o", str(remote), path, output=remote) == expected
    cli("run", "--window", "3", "-o", str(tmp_path / "run-local"), path)
    cli("run", "--dask", "local:2", "--window", "3", "-o", str(tmp_path / "run-dask"), path)
    assert same_files(tmp_path / "run-local", tmp_path / "run-dask") == {f: True for f in RUN_FILES}
