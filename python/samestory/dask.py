"""samestory.dask: dedup and stories of a corpus on a Dask cluster.

The same results as the single-machine CLI (``samestory dedup --report``, ``samestory cluster``),
computed by tasks on a ``distributed`` cluster; only small per-partition summaries and the final
results come back to the client.

Dedup (:func:`dedup`):
  1. each partition is read and sketched where it lies (sequence hash, shingle count, MinHash);
  2. exact copies: a shuffle by sequence hash; the first document of each is the lead;
  3. LSH: the leads' band keys (and, for short texts, single signature values) are shuffled by key,
     and each bucket gives pairs exactly as the Deduplicator's buckets do (dedup/lsh_buckets.h);
  4. pairs are deduplicated, joined with both signatures and filtered by the estimate;
  5. connected components of the candidate pairs, by label propagation with pointer jumping
     (no edge list is ever collected on one machine);
  6. the documents of each component (and their exact copies) are re-read and shingled, shuffled
     by component, and each component is verified and grouped by its own Deduplicator. A group
     never spans two components, so the groups are those of one Deduplicator over the corpus.

Stories (:func:`stories`):
  1. each partition is read, cleaned and turned into term bags; document frequencies are summed
     by a tree reduction;
  2. TF-IDF vectors per partition; corpus-wide vector frequencies by another reduction;
  3. vectors are sorted by day (a shuffle); each day range finds its articles' neighbours with an
     index of only the articles within ``window_days`` of it (NeighbourIndex guarantees the same
     neighbours as a whole-corpus index); without a window every range needs every article;
  4. shared-neighbour similarities the same way, then connected components of the pairs at or
     above the threshold, and average linkage per component on the worker holding it.

The corpus is a list of input paths (read by the workers, one file or a range of a large JSON
Lines file per partition, so the inputs must be readable at the same paths on every worker) or a
``dask.bag`` of :class:`samestory.Document`.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
import dask
import dask.bag as db
import dask.dataframe as dd
from dask import delayed

from . import _samestory as _engine
from . import Cleaner, DedupOptions, _field_specs, _paths, _stories_file

__all__ = ["Corpus", "corpus", "dedup", "stories", "run", "DedupResult", "StoriesResult", "RunResult"]

_UNKNOWN_DAY = -(2**31)
_EDGES_PER_PARTITION = 2_000_000
_LINE_SPLIT_EXTENSIONS = (".jsonl", ".ndjson", ".jsonlines")


# ---- the corpus -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _FilePart:
    inputs: tuple
    fields: tuple
    format: str
    outlet: str
    files: tuple           # (first, last) of the expanded inputs, 0-based
    records: tuple | None  # (first, last), 1-based, or None for whole files


@dataclass
class Corpus:
    """Partitions of documents: file parts read on the workers, or a bag's partitions."""

    parts: list  # _FilePart or a Delayed list of Documents
    description: str = ""

    @property
    def npartitions(self) -> int:
        return len(self.parts)


def _count_lines(path: str) -> int:
    with open(path, "rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 24), b""))


def _is_plain(path: str) -> bool:
    with open(path, "rb") as f:
        head = f.read(4)
    return not (head[:2] == b"\x1f\x8b" or head == b"\x28\xb5\x2f\xfd")


def corpus(
    inputs,
    *,
    fields=None,
    format: str = "auto",
    outlet: str = "",
    partition_bytes: int = 64 << 20,
) -> Corpus:
    """A corpus of input paths, read by the workers.

    A file is one partition, except a plain JSON Lines file larger than ``partition_bytes``, which
    is split into ranges of lines. Documents are numbered in the order the CLI reads them.
    Passing a ``dask.bag`` of :class:`samestory.Document` instead uses its partitions as they are.
    """
    if isinstance(inputs, db.Bag):
        return Corpus(list(inputs.to_delayed()), "a dask bag")
    paths = tuple(_paths(inputs))
    specs = tuple(_field_specs(fields))
    parts = []
    run_start, run_bytes = None, 0  # consecutive small files read as one partition

    def close_run(end: int) -> None:
        nonlocal run_start, run_bytes
        if run_start is not None:
            parts.append(_FilePart(paths, specs, format, outlet, (run_start, end), None))
        run_start, run_bytes = None, 0

    files = _engine.input_files(list(paths))
    for index, (path, size) in enumerate(files):
        if size > partition_bytes and path.endswith(_LINE_SPLIT_EXTENSIONS) and _is_plain(path):
            close_run(index - 1)
            lines = _count_lines(path) + 1  # a last line without a newline is a record too
            pieces = max(1, -(-size // partition_bytes))
            step = -(-lines // pieces)
            for first in range(1, lines + 1, step):
                parts.append(_FilePart(paths, specs, format, outlet, (index, index), (first, first + step - 1)))
            continue
        if run_start is not None and run_bytes + size > partition_bytes:
            close_run(index - 1)
        if run_start is None:
            run_start = index
        run_bytes += size
    close_run(len(files) - 1)
    return Corpus(parts, ", ".join(paths))


def _load(part) -> tuple[list, dict]:
    if isinstance(part, _FilePart):
        docs, counts = _engine._read(list(part.inputs), list(part.fields), part.format, part.outlet, False, True,
                                     part.files, part.records)
        if part.records and part.records[0] != 1:
            counts["files"] = 0  # a later line range of a file its first range counted
        return docs, counts
    docs = list(part)
    return docs, {"read": len(docs), "accepted": len(docs), "rejected": 0, "rejected_by_reason": {},
                  "kept_with_problems": {}, "files": 0}


def _sum_counts(counts: Iterable[dict]) -> dict:
    total = {"read": 0, "accepted": 0, "rejected": 0, "rejected_by_reason": {}, "kept_with_problems": {}, "files": 0}
    for c in counts:
        for key in ("read", "accepted", "rejected", "files"):
            total[key] += c[key]
        for group in ("rejected_by_reason", "kept_with_problems"):
            for reason, n in c[group].items():
                total[group][reason] = total[group].get(reason, 0) + n
    return total


def _check_unique_ids(ids: Iterable[str], where: str) -> None:
    seen: set = set()
    repeated = []
    for i in ids:
        if i in seen:
            repeated.append(i)
        seen.add(i)
    if repeated:
        raise ValueError(f"{where}: {len(repeated)} document id(s) occur in more than one partition "
                         f"(first: {repeated[0]!r}); the CLI would rename them, a distributed run cannot "
                         "without a global pass: give the documents unique ids")


def _progress(quiet: bool, message: str) -> None:
    if not quiet:
        print(f"samestory.dask: {message}", file=sys.stderr, flush=True)


# ---- connected components ------------------------------------------------------------------------


def _local_stars(edges: pd.DataFrame) -> pd.DataFrame:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if edges.empty:
        return pd.DataFrame({"a": np.empty(0, np.int64), "b": np.empty(0, np.int64)})
    a, b = edges["a"].to_numpy(np.int64), edges["b"].to_numpy(np.int64)
    nodes, index = np.unique(np.concatenate([a, b]), return_inverse=True)
    m = len(nodes)
    graph = coo_matrix((np.ones(len(a), np.int8), (index[:len(a)], index[len(a):])), shape=(m, m))
    _, label = connected_components(graph, directed=False)
    root = np.full(label.max() + 1, np.iinfo(np.int64).max, np.int64)
    np.minimum.at(root, label, nodes)
    keep = root[label] != nodes
    return pd.DataFrame({"a": root[label][keep], "b": nodes[keep]})


def _components(edges: dd.DataFrame, quiet: bool = True) -> dd.DataFrame:
    """Connected components of the graph of edges (columns a, b): a frame (node, label), label =
    the component's smallest node. Label propagation, each round followed by pointer jumping, so
    no edge list is ever gathered in one place."""
    started = time.monotonic()
    # Each partition's edges first become stars (every node to the smallest of its local
    # component): the same components, and far fewer propagation rounds on long chains.
    # Partitions sized by the edges, not the corpus: every round shuffles them, and a shuffle's
    # cost grows with the square of the partition count.
    count = int(edges.shape[0].compute())
    edges = edges[["a", "b"]].repartition(npartitions=max(1, min(edges.npartitions, -(-count // _EDGES_PER_PARTITION))))
    edges = edges.map_partitions(_local_stars, meta={"a": "int64", "b": "int64"})
    both = dd.concat([edges.rename(columns={"a": "u", "b": "v"}),
                      edges.rename(columns={"a": "v", "b": "u"})])
    both = both.astype({"u": "int64", "v": "int64"}).persist()
    labels = both.groupby("u")["v"].min().reset_index().rename(columns={"u": "node", "v": "label"})
    labels["label"] = labels[["node", "label"]].min(axis=1).astype("int64")
    labels = labels.persist()
    rounds = 0
    while True:
        rounds += 1
        offered = (both.merge(labels, left_on="v", right_on="node")[["u", "label"]]
                   .groupby("u")["label"].min().reset_index().rename(columns={"u": "node", "label": "offered"}))
        step = labels.merge(offered, on="node", how="left")
        step["best"] = step[["label", "offered"]].min(axis=1).astype("int64")
        # Pointer jumping: a node takes its label's label, halving the distance to the root.
        jump = step[["node", "best"]].rename(columns={"node": "best", "best": "jump"})
        step = step.merge(jump, on="best", how="left")
        step["next"] = step[["best", "jump"]].min(axis=1).astype("int64")
        changed = (step["next"] != step["label"]).sum()
        labels = step[["node", "next"]].rename(columns={"next": "label"}).persist()
        if int(changed.compute()) == 0:
            break
    _progress(quiet, f"connected components in {rounds} rounds ({time.monotonic() - started:.1f} s)")
    return labels


# ---- dedup ------------------------------------------------------------------------------------


@dataclass
class DedupResult:
    groups: list  # dicts as samestory.dedup() returns them, in order of their first document
    documents: int
    counts: dict
    stats: dict = field(default_factory=dict)

    def report(self) -> str:
        """The groups as ``samestory dedup --report`` writes them."""
        return "".join(_engine.format_group(i + 1, g) for i, g in enumerate(self.groups))

    def removed(self) -> int:
        return sum(len(g["members"]) for g in self.groups)


def _sig_columns(k: int) -> list[str]:
    return [f"s{j}" for j in range(k)]


def _sketch_part(part, options: DedupOptions):
    docs, counts = _load(part)
    sk = _engine._sketch_documents(docs, options)
    frame = pd.DataFrame({
        "id": pd.Series([d.id for d in docs], dtype=object),
        "published": sk["published"],
        "text_bytes": sk["text_bytes"],
        "location": sk["location"],
        "sequence": sk["sequence"],
        "shingles": sk["shingles"],
    })
    sig = pd.DataFrame(sk["signature"], columns=_sig_columns(options.num_hashes))
    return pd.concat([frame, sig], axis=1), counts


def _with_index(frame: pd.DataFrame, offset: int) -> pd.DataFrame:
    frame = frame.copy()
    frame.index = pd.RangeIndex(offset, offset + len(frame), name="gidx")
    return frame


def _index_to_column(frame: dd.DataFrame, name: str) -> dd.DataFrame:
    """The index as a column `name` (dask 2022.12 has no rename_axis)."""
    meta = frame._meta.rename_axis(name).reset_index()
    return frame.map_partitions(lambda f: f.rename_axis(name).reset_index(), meta=meta)


def _exact_leads(part: pd.DataFrame) -> pd.DataFrame:
    grouped = part.groupby("sequence")["gidx"]
    return pd.DataFrame({"gidx": part["gidx"].to_numpy(),
                         "lead": grouped.transform("min").to_numpy(),
                         "copies": grouped.transform("size").to_numpy()})


def _band_entries(leads: pd.DataFrame, options: DedupOptions) -> pd.DataFrame:
    sig = leads[_sig_columns(options.num_hashes)].to_numpy(dtype=np.uint32)
    keys = _engine._band_keys(sig, options.rows)
    bands = keys.shape[1]
    return pd.DataFrame({
        "key": keys.reshape(-1),
        "band": np.tile(np.arange(bands, dtype=np.int16), len(leads)),
        "gidx": np.repeat(leads.index.to_numpy(dtype=np.uint32), bands),
    })


def _band_pairs(entries: pd.DataFrame, options: DedupOptions) -> pd.DataFrame:
    if entries.empty:
        return pd.DataFrame({"a": np.empty(0, np.int64), "b": np.empty(0, np.int64)})
    pairs = _engine._bucket_pairs(entries["key"].to_numpy(dtype=np.uint64), entries["gidx"].to_numpy(dtype=np.uint32),
                                  None, None, entries["band"].to_numpy(dtype=np.int16), options.max_bucket_pairs,
                                  options)
    return pd.DataFrame({"a": pairs[:, 0].astype(np.int64), "b": pairs[:, 1].astype(np.int64)})


def _offers(leads: pd.DataFrame, options: DedupOptions):
    """What the leads offer to the single-value buckets: their values, and each lead's bound."""
    sig = leads[_sig_columns(options.num_hashes)].to_numpy(dtype=np.uint32)
    return _engine._offers(sig, leads["shingles"].to_numpy(dtype=np.uint32), options)


def _offered_values(leads: pd.DataFrame, options: DedupOptions) -> np.ndarray:
    return np.unique(_offers(leads, options)[0])


def _small_entries(leads: pd.DataFrame, values: np.ndarray, options: DedupOptions) -> pd.DataFrame:
    sig = leads[_sig_columns(options.num_hashes)].to_numpy(dtype=np.uint32)
    shingles = leads["shingles"].to_numpy(dtype=np.uint32)
    _, bounds = _offers(leads, options)
    keys, rows = _engine._small_entries(sig, shingles, values, options.small_document_shingles)
    return pd.DataFrame({
        "key": keys,
        "gidx": leads.index.to_numpy(dtype=np.uint32)[rows],
        "shingles": shingles[rows],
        "bound": bounds[rows],
    })


def _small_pairs(entries: pd.DataFrame, options: DedupOptions) -> pd.DataFrame:
    if entries.empty:
        return pd.DataFrame({"a": np.empty(0, np.int64), "b": np.empty(0, np.int64)})
    pairs = _engine._bucket_pairs(entries["key"].to_numpy(dtype=np.uint64), entries["gidx"].to_numpy(dtype=np.uint32),
                                  entries["shingles"].to_numpy(dtype=np.uint32),
                                  entries["bound"].to_numpy(dtype=np.uint32), None, options.max_bucket_pairs, options)
    return pd.DataFrame({"a": pairs[:, 0].astype(np.int64), "b": pairs[:, 1].astype(np.int64)})


def _filter_promising(pairs: pd.DataFrame, options: DedupOptions) -> pd.DataFrame:
    k = options.num_hashes
    sa = pairs[[f"s{j}_a" for j in range(k)]].to_numpy(dtype=np.uint32)
    sb = pairs[[f"s{j}_b" for j in range(k)]].to_numpy(dtype=np.uint32)
    keep = _engine._promising(sa, sb, pairs["shingles_a"].to_numpy(dtype=np.uint32),
                              pairs["shingles_b"].to_numpy(dtype=np.uint32), options)
    return pairs.loc[keep, ["a", "b"]]


def _shingle_part(part, needed: np.ndarray, offset: int, options: DedupOptions) -> pd.DataFrame:
    if len(needed) == 0:
        return pd.DataFrame({"gidx": np.empty(0, np.int64), "set": pd.Series([], dtype=object)})
    docs, _ = _load(part)
    chosen = [docs[int(g - offset)] for g in needed]
    return pd.DataFrame({"gidx": needed.astype(np.int64),
                         "set": pd.Series(_engine._shingle_sets(chosen, options.shingle_size), dtype=object)})


def _dedup_components(docs: pd.DataFrame, pairs: pd.DataFrame, options: DedupOptions):
    if not set(pairs["label"].unique()) <= set(docs["label"].unique()):
        raise RuntimeError("dedup: candidate pairs and their documents were shuffled apart")
    sets = [s if isinstance(s, (bytes, bytearray)) else None for s in docs["set"]]
    return _engine._dedup_parts(
        docs["label"].to_numpy(np.int64), docs["gidx"].to_numpy(np.int64), docs["id"].tolist(),
        docs["published"].to_numpy(np.int64), docs["text_bytes"].to_numpy(np.uint32),
        docs["location"].to_numpy(np.uint64), docs["sequence"].to_numpy(np.uint64),
        docs["shingles"].to_numpy(np.uint32), docs[_sig_columns(options.num_hashes)].to_numpy(np.uint32), sets,
        pairs["label"].to_numpy(np.int64), pairs["a"].to_numpy(np.int64), pairs["b"].to_numpy(np.int64), options)


def dedup(
    source,
    *,
    jaccard: float = 0.8,
    containment: float = 0.8,
    keep: str = "earliest",
    shingle_size: int = 5,
    num_hashes: int = 64,
    rows: int = 2,
    quiet: bool = True,
) -> DedupResult:
    """Duplicate groups of a corpus (paths, a :class:`Corpus` or a dask bag of Documents), computed
    on the current Dask client; the same groups, in the same order, as ``samestory dedup``."""
    options = DedupOptions(jaccard, containment, keep, shingle_size, num_hashes, rows)
    corpus_ = source if isinstance(source, Corpus) else corpus(source)
    k = options.num_hashes
    started = time.monotonic()

    # 1. Sketches, numbered in corpus order.
    sketched = [delayed(_sketch_part, nout=2)(p, options) for p in corpus_.parts]
    frames = [s[0] for s in sketched]
    frames = dask.persist(*frames)
    lengths = dask.compute(*[delayed(len)(f) for f in frames])
    counts = _sum_counts(dask.compute(*[s[1] for s in sketched]))
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    n = int(offsets[-1])
    _progress(quiet, f"sketched {n} documents in {corpus_.npartitions} partitions ({time.monotonic() - started:.1f} s)")
    if n == 0:
        return DedupResult([], 0, counts)
    meta = _with_index(_empty_sketch(options), 0)
    parts = [delayed(_with_index)(f, int(o)) for f, o, length in zip(frames, offsets, lengths)]
    nonempty = [(p, int(o), int(length)) for p, o, length in zip(parts, offsets, lengths) if length > 0]
    divisions = [o for _, o, _ in nonempty] + [n - 1]
    sketches = dd.from_delayed([p for p, _, _ in nonempty], meta=meta, divisions=divisions).persist()
    repeated = sketches["id"].value_counts()
    repeated = repeated[repeated > 1].compute()
    if len(repeated):
        raise ValueError(f"{corpus_.description}: {len(repeated)} document id(s) occur more than once "
                         f"(first: {repeated.index[0]!r}); give the documents unique ids")

    # 2. Exact copies: a shuffle by sequence hash.
    with_text = sketches[sketches["shingles"] > 0][["sequence"]].reset_index()
    exact = with_text.shuffle("sequence").map_partitions(
        _exact_leads, meta={"gidx": "int64", "lead": "int64", "copies": "int64"}).persist()
    lead_of = exact.set_index("gidx", divisions=divisions)
    joined = sketches.join(lead_of, how="left")
    leads = joined[joined["lead"] == joined.index.to_series()].drop(columns=["lead", "copies"]).persist()

    # 3. LSH buckets.
    band_meta = {"key": "uint64", "band": "int16", "gidx": "uint32"}
    pair_meta = {"a": "int64", "b": "int64"}
    band_entries = leads.map_partitions(_band_entries, options, meta=band_meta)
    pairs = band_entries.shuffle("key").map_partitions(_band_pairs, options, meta=pair_meta)
    if options.small_document_shingles > 0:
        values = np.unique(leads.map_partitions(
            lambda f: pd.Series(_offered_values(f, options), dtype="uint32"), meta=("v", "uint32"))
            .compute().to_numpy(dtype=np.uint32))
        small_entries = leads.map_partitions(_small_entries, values, options,
                                             meta={"key": "uint64", "gidx": "uint32", "shingles": "uint32",
                                                   "bound": "uint32"})
        small_pairs = small_entries.shuffle("key").map_partitions(_small_pairs, options, meta=pair_meta)
        pairs = dd.concat([pairs, small_pairs])
    pairs = pairs.shuffle("a").map_partitions(lambda f: f.drop_duplicates(), meta=pair_meta)

    # 4. The estimate filter, on both signatures.
    # Pairs go to the signatures (aligned by document number), not signatures to the pairs.
    sig_cols = ["shingles"] + _sig_columns(k)
    side_a = leads[sig_cols].rename(columns={c: f"{c}_a" for c in sig_cols})
    side_b = leads[sig_cols].rename(columns={c: f"{c}_b" for c in sig_cols})
    with_sigs = _index_to_column(side_a.join(pairs.set_index("a", divisions=divisions), how="inner"), "a")
    with_sigs = _index_to_column(side_b.join(with_sigs.set_index("b", divisions=divisions), how="inner"), "b")
    candidates = with_sigs.map_partitions(_filter_promising, options, meta=pair_meta).persist()
    _progress(quiet, f"candidates found ({time.monotonic() - started:.1f} s)")

    # 5. Components of the candidate graph.
    labels = _components(candidates, quiet)
    labels = labels.rename(columns={"node": "lead_node", "label": "label"}).persist()

    _progress(quiet, f"components ({time.monotonic() - started:.1f} s)")

    # 6. Each component and its exact copies, re-read where needed, verified and grouped.
    members = exact.merge(labels, left_on="lead", right_on="lead_node", how="left")
    members["in_component"] = members["label"].notnull()
    members = members[members["in_component"] | (members["copies"] > 1)]
    members["label"] = members["label"].fillna(members["lead"]).astype("int64")
    members = members[["gidx", "label", "in_component", "lead"]].persist()
    needed = members[members["in_component"] & (members["gidx"] == members["lead"])]["gidx"].compute()
    needed = np.sort(needed.to_numpy(dtype=np.int64))
    set_parts = []
    for p, o, length in zip(corpus_.parts, offsets, lengths):
        lo, hi = np.searchsorted(needed, [o, o + length])
        set_parts.append(delayed(_shingle_part)(p, needed[lo:hi], int(o), options))
    sets = dd.from_delayed(set_parts, meta={"gidx": "int64", "set": "object"})
    closure = members.merge(sets, on="gidx", how="left").set_index("gidx", divisions=divisions)
    # Aligned with the sketches by document number: only the (few) closure rows move.
    closure = sketches.join(closure, how="inner").reset_index()
    candidate_labels = candidates.merge(labels, left_on="a", right_on="lead_node")[["label", "a", "b"]]
    parts_count = max(1, min(closure.npartitions, 64))
    closure = closure.shuffle("label", npartitions=parts_count)
    candidate_labels = candidate_labels.shuffle("label", npartitions=parts_count)
    results = [delayed(_dedup_components)(d, c, options)
               for d, c in zip(closure.to_delayed(), candidate_labels.to_delayed())]
    groups, stats = [], {}
    for found, st in dask.compute(*results):
        groups.extend(found)
        for key, value in st.items():
            stats[key] = stats.get(key, 0) + value
    groups.sort(key=lambda g: g["first"])
    _progress(quiet, f"{len(groups)} groups ({time.monotonic() - started:.1f} s)")
    return DedupResult(groups, n, counts, stats)


def _empty_sketch(options: DedupOptions) -> pd.DataFrame:
    frame = pd.DataFrame({
        "id": pd.Series([], dtype=object),
        "published": np.empty(0, np.int64),
        "text_bytes": np.empty(0, np.uint32),
        "location": np.empty(0, np.uint64),
        "sequence": np.empty(0, np.uint64),
        "shingles": np.empty(0, np.uint32),
    })
    sig = pd.DataFrame(np.empty((0, options.num_hashes), np.uint32), columns=_sig_columns(options.num_hashes))
    return pd.concat([frame, sig], axis=1)


# ---- stories -------------------------------------------------------------------------------------


@dataclass
class StoriesResult:
    story: np.ndarray       # each article's story, named by its smallest article number
    centrality: np.ndarray  # float32
    members: tuple          # columns for the stories file: ids, outlets, titles, seconds, precisions
    counts: dict

    def stories_jsonl(self) -> str:
        """The stories file ``samestory cluster -o`` writes."""
        return _stories_file(self.members, self.story, self.centrality)


def _bag_part(part, cleaner):
    docs, counts = _load(part)
    terms, weights, offsets, days = _engine._term_bags(docs, cleaner)
    df = _engine.DocumentFrequencies()
    df.add_bags(terms, weights, offsets)
    members = _engine._member_columns(docs)
    return {"terms": terms, "counts": weights, "offsets": offsets, "days": days, "df": df, "members": members,
            "read": counts}


def _merge_frequencies(*dfs):
    total = _engine.DocumentFrequencies()
    for df in dfs:
        total.merge(df)
    return total


def _tree(items: list, combine, fan_in: int = 8):
    while len(items) > 1:
        items = [delayed(combine)(*items[i:i + fan_in]) for i in range(0, len(items), fan_in)]
    return items[0]


def _split(flat: np.ndarray, offsets: np.ndarray) -> list:
    return [flat[offsets[i]:offsets[i + 1]].tobytes() for i in range(len(offsets) - 1)]


def _vector_part(bags: dict, df, offset: int) -> pd.DataFrame:
    terms, weights, offsets = _engine._weigh(bags["terms"], bags["counts"], bags["offsets"], df)
    n = len(offsets) - 1
    return pd.DataFrame({
        "gidx": np.arange(offset, offset + n, dtype=np.int64),
        "day": bags["days"].astype(np.int64),
        "terms": pd.Series(_split(terms, offsets), dtype=object),
        "weights": pd.Series(_split(weights, offsets), dtype=object),
    })


def _vector_frequency(frame: pd.DataFrame) -> pd.DataFrame:
    terms = np.frombuffer(b"".join(frame["terms"]), dtype=np.uint32)
    values, counts = np.unique(terms, return_counts=True)
    return pd.DataFrame({"term": values, "count": counts.astype(np.int64)})


def _sum_frequencies(*frames) -> pd.DataFrame:
    return pd.concat(frames).groupby("term", as_index=False)["count"].sum()


def _frequency_arrays(frame: pd.DataFrame) -> tuple:
    return frame["term"].to_numpy(dtype=np.uint32), frame["count"].to_numpy(dtype=np.uint32)


def _flatten(frame: pd.DataFrame, terms_col: str, values_col: str, dtype) -> tuple:
    lengths = np.fromiter((len(t) // 4 for t in frame[terms_col]), dtype=np.uint64, count=len(frame))
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.uint64)
    terms = np.frombuffer(b"".join(frame[terms_col]), dtype=np.uint32)
    values = np.frombuffer(b"".join(frame[values_col]), dtype=dtype)
    return terms, values, offsets


def _find_neighbours(query: pd.DataFrame, *halo_and_frequency) -> pd.DataFrame:
    *halo, frequency, threshold, window = halo_and_frequency
    i = pd.concat(halo).sort_values("gidx")
    q = query.sort_values("gidx")
    qt, qw, qo = _flatten(q, "terms", "weights", np.float32)
    it, iw, io = _flatten(i, "terms", "weights", np.float32)
    docs, cosines, offsets = _engine._neighbours(
        q["gidx"].to_numpy(np.uint32), q["day"].to_numpy(np.int32), qt, qw, qo,
        i["gidx"].to_numpy(np.uint32), i["day"].to_numpy(np.int32), it, iw, io,
        frequency[0], frequency[1], threshold, window)
    rows = _engine._near_rows(q["gidx"].to_numpy(np.uint32), docs, offsets)
    return pd.DataFrame({
        "gidx": q["gidx"].to_numpy(np.int64),
        "day": q["day"].to_numpy(np.int64),
        "docs": pd.Series(_split(docs, offsets), dtype=object),
        "cosines": pd.Series(_split(cosines, offsets), dtype=object),
        "row": pd.Series([r.tobytes() for r in rows], dtype=object),
    })


def _edges(query: pd.DataFrame, *halo) -> pd.DataFrame:
    index = pd.concat(halo).sort_values("gidx")
    docs, cosines, offsets = _flatten(query, "docs", "cosines", np.float32)
    rows = np.frombuffer(b"".join(index["row"]), dtype=np.uint32).reshape(len(index), -1)
    a, b, sim, order = _engine._snn_edges(query["gidx"].to_numpy(np.uint32), docs, cosines, offsets,
                                          index["gidx"].to_numpy(np.uint32), rows)
    return pd.DataFrame({"a": a.astype(np.int64), "b": b.astype(np.int64), "sim": sim, "order": order})


def _link(edges: pd.DataFrame, threshold: float) -> pd.DataFrame:
    out = []
    for label, part in edges.groupby("label"):
        part = part.sort_values(["a", "order"])
        nodes = np.unique(np.concatenate([part["a"].to_numpy(), part["b"].to_numpy()])).astype(np.uint32)
        story, centrality = _engine._link_component(nodes, part["a"].to_numpy(np.uint32),
                                                    part["b"].to_numpy(np.uint32),
                                                    part["sim"].to_numpy(np.float32), threshold)
        out.append(pd.DataFrame({"gidx": nodes.astype(np.int64), "story": story.astype(np.int64),
                                 "centrality": centrality}))
    if not out:
        return pd.DataFrame({"gidx": np.empty(0, np.int64), "story": np.empty(0, np.int64),
                             "centrality": np.empty(0, np.float32)})
    return pd.concat(out)


def _halo(divisions: Sequence[int], window: int) -> list:
    """For each day-sorted partition, the partitions holding the articles its queries may meet."""
    count = len(divisions) - 1
    lows = [divisions[p] for p in range(count)]
    highs = [divisions[p + 1] for p in range(count)]
    unknown = [p for p in range(count) if lows[p] == _UNKNOWN_DAY]
    halos = []
    for p in range(count):
        if window <= 0 or lows[p] == _UNKNOWN_DAY:
            halos.append(list(range(count)))
            continue
        near = {q for q in range(count) if highs[q] >= lows[p] - window and lows[q] <= highs[p] + window}
        halos.append(sorted(near | set(unknown)))
    return halos


def stories(
    source,
    *,
    threshold: float = 0.15,
    window_days: int = 0,
    clean: bool = True,
    cleaner: Cleaner | None = None,
    quiet: bool = True,
) -> StoriesResult:
    """Stories of a corpus computed on the current Dask client; the same stories as
    ``samestory cluster`` (see :meth:`StoriesResult.stories_jsonl`)."""
    corpus_ = source if isinstance(source, Corpus) else corpus(source)
    if clean and cleaner is None:
        cleaner = Cleaner()
    cleaner = cleaner if clean else None
    window = max(0, int(window_days))
    started = time.monotonic()

    # 1. Term bags and document frequencies.
    bags = dask.persist(*[delayed(_bag_part)(p, cleaner) for p in corpus_.parts])
    lengths = dask.compute(*[delayed(lambda b: len(b["days"]))(b) for b in bags])
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    n = int(offsets[-1])
    counts = _sum_counts(dask.compute(*[delayed(lambda b: b["read"])(b) for b in bags]))
    members = dask.compute(*[delayed(lambda b: b["members"])(b) for b in bags])
    ids = [i for m in members for i in m[0]]
    _check_unique_ids(ids, corpus_.description)
    columns = (ids, [o for m in members for o in m[1]], [t for m in members for t in m[2]],
               np.concatenate([m[3] for m in members]) if members else np.empty(0, np.int64),
               np.concatenate([m[4] for m in members]) if members else np.empty(0, np.int8))
    _progress(quiet, f"term bags of {n} documents ({time.monotonic() - started:.1f} s)")
    if n == 0:
        return StoriesResult(np.empty(0, np.uint32), np.empty(0, np.float32), columns, counts)
    df = _tree([delayed(lambda b: b["df"])(b) for b in bags], _merge_frequencies)

    # 2. Vectors, and corpus-wide vector frequencies.
    vector_meta = {"gidx": "int64", "day": "int64", "terms": "object", "weights": "object"}
    vector_parts = [delayed(_vector_part)(b, df, int(o)) for b, o in zip(bags, offsets)]
    vectors = dd.from_delayed(vector_parts, meta=vector_meta).persist()
    frequency = _tree([delayed(_vector_frequency)(p) for p in vectors.to_delayed()], _sum_frequencies)
    frequency = delayed(_frequency_arrays)(frequency)

    # 3. Neighbours by day range, each with the articles within the window.
    by_day = vectors.set_index("day", drop=False).persist()
    divisions = list(by_day.divisions)
    day_parts = by_day.to_delayed()
    halos = _halo(divisions, window)
    found = [delayed(_find_neighbours)(day_parts[p], *[day_parts[q] for q in halos[p]], frequency, threshold, window)
             for p in range(len(day_parts))]
    found = dask.persist(*found)
    edge_parts = [delayed(_edges)(found[p], *[found[q] for q in halos[p]]) for p in range(len(found))]
    edges = dd.from_delayed(edge_parts, meta={"a": "int64", "b": "int64", "sim": "float32", "order": "uint32"}).persist()
    _progress(quiet, f"neighbours and similarities ({time.monotonic() - started:.1f} s)")

    # 4. Components of the pairs at or above the threshold, then average linkage in each.
    strong = edges[edges["sim"] >= np.float32(threshold)][["a", "b"]]
    labels = _components(strong, quiet).persist()
    labelled = edges.merge(labels, left_on="a", right_on="node").drop(columns=["node"])
    labelled = labelled.merge(labels.rename(columns={"node": "b_node", "label": "b_label"}),
                              left_on="b", right_on="b_node")
    labelled = labelled[labelled["label"] == labelled["b_label"]][["label", "a", "b", "sim", "order"]]
    linked = labelled.shuffle("label").map_partitions(
        _link, threshold, meta={"gidx": "int64", "story": "int64", "centrality": "float32"}).compute()

    story = np.arange(n, dtype=np.uint32)
    centrality = np.zeros(n, dtype=np.float32)
    story[linked["gidx"].to_numpy()] = linked["story"].to_numpy(dtype=np.uint32)
    centrality[linked["gidx"].to_numpy()] = linked["centrality"].to_numpy(dtype=np.float32)
    _progress(quiet, f"{len(np.unique(story))} stories ({time.monotonic() - started:.1f} s)")
    return StoriesResult(story, centrality, columns, counts)


# ---- the main job ---------------------------------------------------------------------------------


@dataclass
class RunResult:
    files: dict    # what write_run_folder wrote: stories, database, report
    stats: dict    # the figures `samestory run --json` gives under "run"
    counts: dict   # reading accounting
    seconds: dict  # per step


def _learn_part(part) -> bytes:
    docs, _ = _load(part)
    return _engine._learn_part(docs)


def _merge_learners(*parts: bytes) -> bytes:
    return _engine._merge_learners(list(parts))


def _finish_learners(*parts: bytes) -> bytes:
    return _engine._finish_learners(list(parts))


def _prepare_part(part, rules: bool, model):
    docs, counts = _load(part)
    prepared, cleaned = _engine._prepare_part(docs, rules, model)
    return prepared, cleaned, counts


def _postings(prepared, offset: int, codes: dict) -> pd.DataFrame:
    sequence, article, outlet = prepared.postings(offset, codes)
    return pd.DataFrame({"sequence": sequence, "article": article, "outlet": outlet})


def _link_counts(postings: pd.DataFrame) -> pd.DataFrame:
    keys, counts = _engine._link_counts(postings["sequence"].to_numpy(np.uint64),
                                        postings["article"].to_numpy(np.int64),
                                        postings["outlet"].to_numpy(np.uint32))
    return pd.DataFrame({"key": keys, "count": counts.astype(np.int64)})


def _batches(stories: list, parts: int) -> list:
    """Consecutive runs of stories with about the same number of articles each."""
    total = sum(len(s) for s in stories)
    target = max(1, -(-total // max(1, parts)))
    batches, current, size = [], [], 0
    for s in stories:
        current.append(s)
        size += len(s)
        if size >= target:
            batches.append(current)
            current, size = [], 0
    if current:
        batches.append(current)
    return batches


def _digest_batch(stories: list, copies: tuple, piece_numbers: list, *pieces: bytes) -> bytes:
    return _engine._digest_stories(stories, copies[0], copies[1], copies[2], list(pieces), piece_numbers)


def run(
    source,
    output: str,
    *,
    threshold: float = 0.15,
    window_days: int = 0,
    clean: bool = True,
    clean_model: str = "",
    database: bool = True,
    report: bool = True,
    report_stories: int = 10000,
    quiet: bool = True,
) -> RunResult:
    """The main job (``samestory run``) on the current Dask client: the same stories.jsonl,
    samestory.db and report.html in `output`.

    Learning, cleaning, dedup, clustering, copy links and the digests run on the workers; the
    client assembles the story map and writes the folder, so it holds the whole corpus's text (as
    ``samestory run`` does) and the articles travel to it once.
    """
    corpus_ = source if isinstance(source, Corpus) else corpus(source)
    seconds = {}
    started = step = time.monotonic()

    def lap(name: str, message: str) -> None:
        nonlocal step
        now = time.monotonic()
        seconds[name] = round(now - step, 3)
        step = now
        _progress(quiet, f"{message} ({now - started:.1f} s)")

    # 1. The boilerplate model: learners per partition, merged in corpus order.
    model = None
    if clean and clean_model:
        model = _engine._load_model(clean_model)
    elif clean:
        learners = [delayed(_learn_part)(p) for p in corpus_.parts]
        while len(learners) > 8:  # merged in corpus order, 8 at a time, the last 8 by the root
            learners = [delayed(_merge_learners)(*learners[i:i + 8]) for i in range(0, len(learners), 8)]
        model = dask.compute(delayed(_finish_learners)(*learners))[0]
    units = _engine._model_size(model) if model is not None else 0
    lap("learn", f"boilerplate model of {units} units")

    # 2. Each partition cleaned where it is read; the cleaned documents feed dedup and cluster.
    prepared = [delayed(_prepare_part, nout=3)(p, clean, model) for p in corpus_.parts]
    persisted = dask.persist(*[x[0] for x in prepared], *[x[1] for x in prepared])
    parts, cleaned = persisted[:len(prepared)], persisted[len(prepared):]
    counts = _sum_counts(dask.compute(*[x[2] for x in prepared]))
    lengths = dask.compute(*[delayed(len)(p) for p in parts])
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    n = int(offsets[-1])
    lap("clean", f"cleaned {n} articles")
    cleaned_corpus = Corpus(list(cleaned), corpus_.description)

    # 3. Dedup and stories of the cleaned text.
    found = dedup(cleaned_corpus, quiet=quiet) if n else DedupResult([], 0, counts)
    lap("dedup", f"{len(found.groups)} duplicate groups")
    clusters = stories(cleaned_corpus, threshold=threshold, window_days=window_days, clean=False, quiet=quiet)
    lap("cluster", "clustered")

    # 4. Copy links: sampled sequences shuffled by sequence, pair counts summed by pair.
    outlets = sorted(set().union(*dask.compute(*[delayed(lambda p: p.outlets())(p) for p in parts])))
    codes = {o: i for i, o in enumerate(outlets)}
    sizes = np.concatenate(dask.compute(*[delayed(lambda p: p.sample_sizes())(p) for p in parts]) or
                           [np.empty(0, np.uint32)]).astype(np.uint32)
    link_a = link_b = np.empty(0, np.uint32)
    if n:
        postings = dd.from_delayed([delayed(_postings)(p, int(o), codes) for p, o in zip(parts, offsets)],
                                   meta={"sequence": "uint64", "article": "int64", "outlet": "uint32"})
        pair_counts = postings.shuffle("sequence").map_partitions(_link_counts, meta={"key": "uint64", "count": "int64"})
        summed = pair_counts.groupby("key", sort=False)["count"].sum(split_out=max(1, pair_counts.npartitions))
        summed = summed[summed >= 3].compute()
        link_a, link_b = _engine._select_links(summed.index.to_numpy(np.uint64),
                                               summed.to_numpy(np.int64).astype(np.uint32), sizes)
    lap("links", f"{len(link_a)} copy links")

    # 5. The client's map: articles, groups, final stories.
    runmap = _engine._RunMap(list(dask.compute(*[delayed(lambda p: p.all_articles())(p) for p in parts])))
    runmap.boilerplate_units = units
    runmap.set_groups(found.groups)
    final = runmap.assign(clusters.story.astype(np.uint32), link_a, link_b) if n else []
    lap("assign", f"{len(final)} stories")

    # 6. Digests on the workers, each batch from the pieces of the partitions holding its articles.
    results = []
    for batch in _batches(final, _worker_count() * 4):
        numbers = np.concatenate(batch)
        wanted = np.sort(numbers)
        pieces, piece_numbers = [], []
        for p, o, length in zip(parts, offsets, lengths):
            lo, hi = np.searchsorted(wanted, [o, o + length])
            if hi > lo:
                pieces.append(delayed(lambda part, off, w: part.articles(off, w))(p, int(o), wanted[lo:hi]))
                piece_numbers.append(wanted[lo:hi])
        results.append(delayed(_digest_batch)(batch, runmap.copies(numbers), piece_numbers, *pieces))
    runmap.set_digests(list(dask.compute(*results)))
    lap("digest", "digested")

    files = runmap.write(output, database, report, report_stories)
    lap("write", f"wrote {output}")
    seconds["total"] = round(time.monotonic() - started, 3)
    return RunResult(files, runmap.stats(), counts, seconds)


def _worker_count() -> int:
    try:
        from dask.distributed import get_client
        return max(1, len(get_client().scheduler_info()["workers"]))
    except (ImportError, ValueError):
        return 1


# ---- command line: what `samestory dedup|cluster --dask ADDRESS` hands over to ---------------------


def _connect(address: str):
    """A client of the scheduler at `address`, or of a new LocalCluster for ``local:N``."""
    from dask.distributed import Client, LocalCluster

    if address.startswith("local"):
        workers = int(address.partition(":")[2] or os.cpu_count() or 1)
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        return Client(cluster)
    return Client(address)


def worker_peak_rss() -> dict:
    """Peak resident memory of each worker process of the current client, in bytes."""
    import resource

    from dask.distributed import get_client

    return get_client().run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)


def _write(path: str, text: str) -> None:
    if path == "-":
        sys.stdout.write(text)
        return
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv: Sequence[str] | None = None) -> int:
    import argparse
    import json

    parser = argparse.ArgumentParser(prog="samestory ... --dask",
                                     description="samestory dedup, cluster or run on a Dask scheduler")
    parser.add_argument("--scheduler", required=True, help="tcp://HOST:PORT, or local:N for N local workers")
    parser.add_argument("--json", action="store_true", help="a JSON summary on stderr")
    parser.add_argument("-q", "--quiet", action="store_true")
    parser.add_argument("--field", action="append", default=[], help="FIELD=NAME, as the CLI's --field")
    parser.add_argument("--format", default="auto", help="input format, as the CLI's --format")
    parser.add_argument("--outlet", default="", help="outlet of documents that name none")
    parser.add_argument("--partition-mb", type=int, default=64, help="input bytes per partition (default 64)")
    commands = parser.add_subparsers(dest="command", required=True)
    d = commands.add_parser("dedup")
    d.add_argument("inputs", nargs="+")
    d.add_argument("--threshold", type=float, default=0.8)
    d.add_argument("--containment", type=float, default=0.8)
    d.add_argument("--keep", default="earliest", choices=["earliest", "longest", "first"])
    d.add_argument("--report", default="")
    d.add_argument("--shingle", type=int, default=5)
    d.add_argument("--hashes", type=int, default=64)
    d.add_argument("--rows", type=int, default=2)
    c = commands.add_parser("cluster")
    c.add_argument("inputs", nargs="+")
    c.add_argument("--threshold", type=float, default=0.15)
    c.add_argument("--window", type=int, default=0)
    c.add_argument("--no-clean", action="store_true")
    c.add_argument("--clean-model", default="")
    c.add_argument("-o", "--output", default="-")
    r = commands.add_parser("run")
    r.add_argument("inputs", nargs="+")
    r.add_argument("-o", "--output", default="samestory-out")
    r.add_argument("--threshold", type=float, default=0.15)
    r.add_argument("--window", type=int, default=0)
    r.add_argument("--no-clean", action="store_true")
    r.add_argument("--clean-model", default="")
    r.add_argument("--report-stories", type=int, default=10000)
    r.add_argument("--no-db", action="store_true")
    r.add_argument("--no-report", action="store_true")
    args = parser.parse_args(argv)

    started = time.monotonic()
    try:
        client = _connect(args.scheduler)
    except OSError as e:
        print(f"samestory {args.command} --dask: cannot reach the scheduler {args.scheduler}: {e}", file=sys.stderr)
        return 3
    try:
        data = corpus(args.inputs, fields=args.field, format=args.format, outlet=args.outlet,
                      partition_bytes=args.partition_mb << 20)
        summary = {"scheduler": args.scheduler, "workers": len(client.scheduler_info()["workers"]),
                   "partitions": data.npartitions}
        if args.command == "dedup":
            result = dedup(data, jaccard=args.threshold, containment=args.containment, keep=args.keep,
                           shingle_size=args.shingle, num_hashes=args.hashes, rows=args.rows, quiet=args.quiet)
            if args.report:
                _write(args.report, result.report())
            summary.update(documents=result.counts, groups=len(result.groups), removed=result.removed(),
                           kept=result.documents - result.removed(), stats=result.stats)
        elif args.command == "run":
            result = run(data, args.output, threshold=args.threshold, window_days=args.window,
                         clean=not args.no_clean, clean_model=args.clean_model, database=not args.no_db,
                         report=not args.no_report, report_stories=args.report_stories, quiet=args.quiet)
            summary.update(documents=result.counts, run=result.stats, outputs=result.files, step_seconds=result.seconds)
        else:
            cleaner = None if args.no_clean else Cleaner(True, args.clean_model)
            result = stories(data, threshold=args.threshold, window_days=args.window, clean=not args.no_clean,
                             cleaner=cleaner, quiet=args.quiet)
            text = result.stories_jsonl()
            _write(args.output, text)
            summary.update(documents=result.counts, stories=text.count("\n"))
        summary["worker_peak_rss_bytes"] = sorted(worker_peak_rss().values())
        import resource
        summary["client_peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        summary["seconds"] = round(time.monotonic() - started, 3)
    except ValueError as e:  # the input: duplicate ids, an unreadable model
        print(f"samestory {args.command} --dask: {e}", file=sys.stderr)
        return 1
    except OSError as e:  # an output
        print(f"samestory {args.command} --dask: {e}", file=sys.stderr)
        return 3
    finally:
        client.close()
    if args.json:
        print(json.dumps(summary), file=sys.stderr)
    elif not args.quiet:
        print(f"samestory {args.command} --dask: {summary}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
