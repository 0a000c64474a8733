#!/usr/bin/python3
"""The scikit-learn baseline for story clustering, for bench/cluster.sh.

TF-IDF over title and text (scikit-learn defaults), average-linkage agglomerative clustering on
cosine distance, with the distance threshold chosen on the same labels it is scored against (the
best ARI over thresholds 0.01..0.99): an upper bound on what this baseline can do, which
samestory must beat without seeing the labels.

Input: JSON Lines as `samestory read` writes them (title, text, label).
Output: one JSON object a configuration (scikit-learn's TfidfVectorizer defaults, and the
strongest variant found: sublinear TF, English stop words, min_df=2) with the chosen threshold,
ARI, B-cubed P/R/F1, and the time of one vectorise + fit.
"""
import json
import sys
import time
from collections import Counter

import numpy as np
from scipy.sparse import csr_matrix, hstack
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import pdist
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score


def bcubed(gold, pred):
    cells = Counter(zip(gold, pred))
    g, p = Counter(gold), Counter(pred)
    n = len(gold)
    precision = sum(c * c / p[b] for (a, b), c in cells.items()) / n
    recall = sum(c * c / g[a] for (a, b), c in cells.items()) / n
    return precision, recall, 2 * precision * recall / (precision + recall)


CONFIGURATIONS = {
    "tfidf-defaults": {},
    "tfidf-sublinear-stopwords-mindf2": {"sublinear_tf": True, "stop_words": "english", "min_df": 2},
}


def main(path):
    docs = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    docs = [d for d in docs if d.get("label")]
    texts = [(d.get("title") or "") + "\n" + (d.get("text") or "") for d in docs]
    gold = [d["label"] for d in docs]
    for name, options in CONFIGURATIONS.items():
        run(name, options, texts, gold)


def run(name, options, texts, gold):
    start = time.perf_counter()
    x = TfidfVectorizer(**options).fit_transform(texts)
    # An article left without terms (min_df) gets a feature of its own: it stays a singleton
    # instead of making cosine distances undefined.
    empty = np.flatnonzero(x.getnnz(axis=1) == 0)
    if len(empty):
        extra = csr_matrix((np.ones(len(empty)), (empty, np.arange(len(empty)))), shape=(x.shape[0], len(empty)))
        x = hstack([x, extra]).tocsr()
    vectorize_s = time.perf_counter() - start

    # The threshold sweep uses SciPy's UPGMA, the same average linkage, computed once.
    tree = linkage(pdist(x.toarray(), metric="cosine"), method="average")
    best = max(
        (adjusted_rand_score(gold, fcluster(tree, t, criterion="distance")), t)
        for t in np.arange(0.01, 1.0, 0.01)
    )
    threshold = float(best[1])

    start = time.perf_counter()
    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
    )
    pred = model.fit_predict(x.toarray())
    fit_s = time.perf_counter() - start
    p, r, f = bcubed(gold, list(pred))
    print(json.dumps({
        "baseline": name,
        "articles": len(gold),
        "threshold": round(threshold, 2),
        "ari": adjusted_rand_score(gold, pred),
        "bcubed_precision": p, "bcubed_recall": r, "bcubed_f1": f,
        "stories": int(len(set(pred))),
        "seconds": vectorize_s + fit_s,
    }))


if __name__ == "__main__":
    main(sys.argv[1])
