"""The remote store's commit protocol against a real Oxigraph server, many writers at once.

Oxigraph evaluates an update's WHERE on a snapshot and does not detect a
concurrent transaction that changed what it read, so the conditional update
alone would let two writers both apply; the claim on the generation
(store/queries/remote.py) is what makes exactly one win. These rounds would
fail without it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import partial

import pyoxigraph as ox
import pytest

from remote_cluster import Engine
from stackatlas.errors import PreconditionFailed
from stackatlas.store.changes import Activity, ChangeSet
from stackatlas.store.remote import RemoteStore

GRAPH = "https://w3id.org/stackatlas/graph/vendors/"
VENDOR = "https://w3id.org/stackatlas/id/vendor/"
SEQUENCES = (
    "PREFIX sa: <https://w3id.org/stackatlas/ontology#> "
    "SELECT ?n WHERE { GRAPH <https://w3id.org/stackatlas/graph/audit> { ?c sa:sequence ?n } }"
)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    started = Engine(tmp_path_factory.mktemp("commits") / "engine")
    started.start()
    yield started
    started.kill()


def quad(slug: str, value: str) -> ox.Quad:
    return ox.Quad(
        ox.NamedNode(VENDOR + slug),
        ox.NamedNode("urn:test:value"),
        ox.Literal(value),
        ox.NamedNode(GRAPH + slug),
    )


def race(writers: int, attempt: Callable[[int], None]) -> None:
    barrier = threading.Barrier(writers)

    def run(k: int) -> None:
        barrier.wait()
        attempt(k)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_writers_on_one_graph_with_the_same_version_exactly_one_wins(engine: Engine) -> None:
    stores = [RemoteStore(engine.url) for _ in range(2)]
    graph = GRAPH + "contested"

    def attempt(round_: int, version: str, outcomes: list[str], k: int) -> None:
        try:
            stores[k].commit(ChangeSet.of([quad("contested", f"{round_}-{k}")]), {graph: version}, None)
            outcomes.append(f"won {k}")
        except PreconditionFailed as exc:
            assert "someone changed it since you read it" in str(exc)
            outcomes.append("412")

    for round_ in range(40):
        outcomes: list[str] = []
        race(2, partial(attempt, round_, stores[0].versions([graph])[graph], outcomes))
        assert sorted(outcomes)[0] == "412" and len(outcomes) == 2, outcomes
        winner = int(next(o for o in outcomes if o.startswith("won")).split()[1])
        values = {q.object.value for q in stores[1].graph_quads([graph])}  # type: ignore[union-attr]
        assert f"{round_}-{winner}" in values
        assert not any(v.startswith(f"{round_}-") and v != f"{round_}-{winner}" for v in values)


def test_writers_on_different_graphs_all_land_with_a_gap_free_audit_trail(engine: Engine) -> None:
    stores = [RemoteStore(engine.url) for _ in range(3)]
    start = len(stores[0].system_select(SEQUENCES))
    generation = stores[0]._fresh_generation()
    rounds = 10

    def attempt(round_: int, k: int) -> None:
        activity = Activity(f"writer-{k}", f"round {round_}", "test", datetime.now(UTC))
        stores[k].commit(ChangeSet.of([quad(f"own-{k}", str(round_))]), {}, activity)

    for round_ in range(rounds):
        race(3, partial(attempt, round_))
    sequences = sorted(int(r["n"]) for r in stores[2].system_select(SEQUENCES))  # type: ignore[arg-type]
    assert sequences == list(range(start + 1, start + 3 * rounds + 1))
    assert stores[1]._fresh_generation() == generation + 3 * rounds
    for k in range(3):
        assert {q.object.value for q in stores[0].graph_quads([GRAPH + f"own-{k}"])} == {  # type: ignore[union-attr]
            str(r) for r in range(rounds)
        }
