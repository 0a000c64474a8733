"""Type hints for the engine module (python/bindings/module.cc)."""

from typing import Optional, Sequence

import numpy as np
import numpy.typing as npt

__version__: str

class Document:
    id: str
    outlet: str
    url: str
    title: str
    text: str
    label: str
    date: Optional[str]
    def __init__(self, id: str, text: str, title: str = "", outlet: str = "", date: Optional[str] = None,
                 url: str = "", label: str = "") -> None: ...
    @property
    def day(self) -> Optional[int]: ...
    @property
    def source(self) -> str: ...
    @property
    def file_index(self) -> int: ...
    @property
    def record(self) -> int: ...

class Cleaner:
    def __init__(self, rules: bool = True, model: str = "") -> None: ...
    def clean(self, text: str, outlet: str = "") -> dict: ...

class DedupOptions:
    jaccard: float
    containment: float
    shingle_size: int
    num_hashes: int
    rows: int
    small_document_shingles: int
    bottom_values: int
    single_value_ratio: float
    max_bucket_pairs: int
    keep: str
    def __init__(self, jaccard: float = 0.8, containment: float = 0.8, keep: str = "earliest",
                 shingle_size: int = 5, num_hashes: int = 64, rows: int = 2) -> None: ...

class DocumentFrequencies:
    documents: int
    def __init__(self) -> None: ...
    def add_bags(self, terms: npt.NDArray[np.uint32], counts: npt.NDArray[np.float32],
                 offsets: npt.NDArray[np.uint64]) -> None: ...
    def merge(self, other: "DocumentFrequencies") -> None: ...
    def save(self, path: str) -> None: ...
    @staticmethod
    def load(path: str) -> "DocumentFrequencies": ...

def input_files(inputs: Sequence[str]) -> list[tuple[str, int]]: ...
def signatures(texts: Sequence[str], shingle_size: int = 5, num_hashes: int = 64) -> npt.NDArray[np.uint32]: ...
def format_group(number: int, group: dict) -> str: ...
def align(a: str, b: str) -> dict: ...
