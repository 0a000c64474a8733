"""Type hints for samestory (python/samestory/__init__.py)."""

import os
from typing import Iterable, Mapping, Optional, Sequence, Union

import numpy as np
import numpy.typing as npt

from ._samestory import Cleaner as Cleaner
from ._samestory import DedupOptions as DedupOptions
from ._samestory import Document as Document
from ._samestory import DocumentFrequencies as DocumentFrequencies
from ._samestory import __version__ as __version__
from ._samestory import align as align
from ._samestory import format_group as format_group
from ._samestory import input_files as input_files
from ._samestory import signatures as signatures

PathLike = Union[str, os.PathLike[str]]
Fields = Union[Mapping[str, str], Sequence[str], None]

def read_with_counts(inputs: Union[PathLike, Iterable[PathLike]], *, fields: Fields = None, format: str = "auto",
                     outlet: str = "", strict: bool = False, quiet: bool = True) -> tuple[list[Document], dict]: ...
def read(inputs: Union[PathLike, Iterable[PathLike]], *, fields: Fields = None, format: str = "auto",
         outlet: str = "", strict: bool = False, quiet: bool = True) -> list[Document]: ...
def clean(text: str, outlet: str = "", *, cleaner: Optional[Cleaner] = None) -> dict: ...
def dedup(docs: Sequence[Document], *, jaccard: float = 0.8, containment: float = 0.8, keep: str = "earliest",
          shingle_size: int = 5, num_hashes: int = 64, rows: int = 2, with_stats: bool = False) -> list[dict]: ...
def cluster(docs: Sequence[Document], *, threshold: float = 0.15, window_days: int = 0, clean: bool = True,
            cleaner: Optional[Cleaner] = None) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.float32]]: ...
def format_stories(docs: Sequence[Document], story: npt.ArrayLike, centrality: npt.ArrayLike) -> str: ...
