"""samestory: find the same news story across outlets.

The engine of the ``samestory`` command line tool as a Python module:

- :func:`read` any input the CLI reads (seed text files, JSON Lines, JSON, CSV; gzip or zstd);
- :class:`Cleaner` removes outlet boilerplate and says why each span went;
- :func:`signatures` gives MinHash signatures as a numpy array;
- :func:`dedup` finds exact, near-duplicate and contained copies, verified and grouped;
- :func:`align` finds the passages two texts share, with offsets into both;
- :func:`cluster` groups the articles that report the same story.

Every function gives the same results as the CLI subcommand of the same name on the same
documents. :mod:`samestory.dask` runs dedup and story clustering on a Dask cluster.
"""

from __future__ import annotations

import os
from typing import Iterable, Mapping, Sequence, Union

import numpy as np

from . import _samestory as _engine
from ._samestory import (  # noqa: F401  (re-exported)
    Cleaner,
    DedupOptions,
    Document,
    DocumentFrequencies,
    __version__,
    align,
    format_group,
    input_files,
    signatures,
)

__all__ = [
    "Cleaner",
    "DedupOptions",
    "Document",
    "DocumentFrequencies",
    "align",
    "clean",
    "cluster",
    "dedup",
    "format_group",
    "format_stories",
    "input_files",
    "read",
    "read_with_counts",
    "signatures",
]

PathLike = Union[str, "os.PathLike[str]"]


def _paths(inputs: PathLike | Iterable[PathLike]) -> list[str]:
    if isinstance(inputs, (str, os.PathLike)):
        return [os.fspath(inputs)]
    return [os.fspath(p) for p in inputs]


def _field_specs(fields: Mapping[str, str] | Sequence[str] | None) -> list[str]:
    if fields is None:
        return []
    if isinstance(fields, Mapping):
        return [f"{k}={v}" for k, v in fields.items()]
    return list(fields)


def read_with_counts(
    inputs: PathLike | Iterable[PathLike],
    *,
    fields: Mapping[str, str] | Sequence[str] | None = None,
    format: str = "auto",
    outlet: str = "",
    strict: bool = False,
    quiet: bool = True,
) -> tuple[list[Document], dict]:
    """Reads documents and accounts for every record.

    Returns the documents and counts: ``read`` records, ``accepted``, ``rejected``,
    ``rejected_by_reason`` and ``kept_with_problems`` (e.g. a missing date). ``fields`` maps document fields to input field names, as the CLI's
    ``--field text=body``. With ``strict`` any problem raises ``ValueError``; unless ``quiet``,
    each problem is also printed on stderr with its file, line and reason.
    """
    return _engine._read(_paths(inputs), _field_specs(fields), format, outlet, strict, quiet)


def read(inputs: PathLike | Iterable[PathLike], **options) -> list[Document]:
    """Reads documents from files, directories or ``@list`` files (see :func:`read_with_counts`)."""
    return read_with_counts(inputs, **options)[0]


def clean(text: str, outlet: str = "", *, cleaner: Cleaner | None = None) -> dict:
    """Cleans one article with the built-in rules (or the given :class:`Cleaner`).

    Returns ``{"text", "removed": [{"begin", "end", "category", "reason", "metadata"}], "byline",
    "dateline"}``; offsets are code points of ``text``.
    """
    return (cleaner or Cleaner()).clean(text, outlet)


def dedup(
    docs: Sequence[Document],
    *,
    jaccard: float = 0.8,
    containment: float = 0.8,
    keep: str = "earliest",
    shingle_size: int = 5,
    num_hashes: int = 64,
    rows: int = 2,
    with_stats: bool = False,
):
    """Groups exact, near-duplicate and contained copies, as ``samestory dedup`` does.

    Returns the groups in order of their first document, each a dict with ``representative``,
    ``first`` (the index of its first document) and ``members`` (id, relation, jaccard,
    containment, containment_of_representative, estimated, via). :func:`format_group` writes a
    group as the CLI's ``--report`` line. With ``with_stats`` also returns the run's counts.
    """
    options = DedupOptions(jaccard, containment, keep, shingle_size, num_hashes, rows)
    groups, stats = _engine._dedup(list(docs), options)
    return (groups, stats) if with_stats else groups


def cluster(
    docs: Sequence[Document],
    *,
    threshold: float = 0.15,
    window_days: int = 0,
    clean: bool = True,
    cleaner: Cleaner | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Groups the articles that report the same story, as ``samestory cluster`` does.

    Returns each article's story (uint32, numbered from 0 by first article) and its centrality
    (float32: summed similarity to the story members it found). Articles are cleaned with the
    built-in rules first unless ``clean`` is false (or with ``cleaner``, e.g. one with a model).
    """
    if clean and cleaner is None:
        cleaner = Cleaner()
    return _engine._cluster(list(docs), cleaner if clean else None, threshold, window_days)


def format_stories(docs: Sequence[Document], story: np.ndarray, centrality: np.ndarray) -> str:
    """The stories file ``samestory cluster -o`` writes for these articles and labels."""
    return _stories_file(_engine._member_columns(list(docs)), story, centrality)


def _stories_file(members: tuple, story, centrality) -> str:
    """The stories file from members' columns (ids, outlets, titles, seconds, precisions) in input order."""
    ids, outlets, titles, seconds, precisions = members
    index = np.arange(len(ids), dtype=np.uint64)
    return _engine._format_stories(ids, outlets, titles, seconds, precisions, index,
                                   np.asarray(story, dtype=np.uint32), np.asarray(centrality, dtype=np.float32))
