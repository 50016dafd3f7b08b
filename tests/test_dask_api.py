"""The Dask entry points, on a real local cluster (a scheduler and two worker processes)."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("distributed", reason="the dask extra is not installed")
import dask.bag as db  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

from cleaner import Edit, Pipeline, restore  # noqa: E402
from cleaner.corpus.passes import learn  # noqa: E402
from cleaner.engines.dask import clean_bag, clean_column, learn_bag  # noqa: E402

pytestmark = pytest.mark.slow  # starts a Dask cluster

TEXTS = ["Hello world.\n\n0", "Advertisement\nReal text here.", "Folgen Sie uns auf Facebook\n\nEin Satz.\n", ""]


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as c:
        yield c


def test_bag_of_texts_matches_a_local_run(client):
    out = clean_bag(db.from_sequence(TEXTS, npartitions=2)).compute()
    local = [Pipeline().clean(t) for t in TEXTS]
    assert [o["text"] for o in out] == [r.text for r in local]
    assert [o["cleaner_edits"] for o in out] == [r.records() for r in local]


def test_bag_of_records_keeps_fields(client):
    records = [{"id": str(i), "body": t, "n": i} for i, t in enumerate(TEXTS)] + [{"id": "x", "n": 9}]
    out = clean_bag(db.from_sequence(records, npartitions=3), field="body").compute()
    assert [o["n"] for o in out] == [0, 1, 2, 3, 9]
    assert out[0]["body"] == "Hello world.\n" and "cleaner_edits" not in out[-1]


def test_dataframe_column(client):
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    frame = dd.from_pandas(pd.DataFrame({"text": TEXTS, "k": range(len(TEXTS))}), npartitions=2)
    out = clean_column(frame, "text").compute()
    assert list(out["text"]) == [Pipeline().clean(t).text for t in TEXTS]
    edits = json.loads(out["text_cleaner_edits"].iloc[0])
    assert restore(out["text"].iloc[0], [Edit.from_record(r) for r in edits if r["action"] != "note"]) == TEXTS[0]


def gazette_records() -> list[dict]:
    """Two sites, twelve pages each, with a masthead and a footer on every page."""
    return [{"id": f"{site}-{i}", "url": f"https://{site}.example/story/{i}",
             "text": f"{site.title()} Weekly Gazette of the Valley\n\nStory {i}: the council met on day {i} and "
                     f"approved the new harbour plan after a long debate about its cost.\n\nPowered by {site} press tools\n"}
            for site in ("alpha", "beta") for i in range(12)]


def test_templates_learned_on_the_cluster_equal_a_local_count(client):
    records = gazette_records()
    model = learn_bag(db.from_sequence(records, npartitions=5))
    local = learn((r["text"], r["url"], None) for r in records)
    assert model.to_dict() == local.to_dict() and sorted(model.sites) == ["alpha.example", "beta.example"]
    out = clean_bag(db.from_sequence(records, npartitions=3), templates=model).compute()
    pipeline = Pipeline(templates=local)
    assert [o["text"] for o in out] == [pipeline.clean(r["text"], url=r["url"]).text for r in records]
    assert "Gazette" not in out[3]["text"] and "Story 3" in out[3]["text"]
    assert any(e["rule"] == "template_repeated" for e in out[3]["cleaner_edits"])


def test_a_bag_of_bare_texts_learns_nothing(client):
    assert learn_bag(db.from_sequence([r["text"] for r in gazette_records()], npartitions=2)).sites == {}
