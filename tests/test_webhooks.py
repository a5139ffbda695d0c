"""Webhooks on the real server over an on-disk store, delivered to a real HTTP receiver on loopback.

The receiver is a small ``http.server`` in a thread that records every request
(path, headers, body) and answers 204, or 500 when told to fail; "down" is the
receiver stopped (connection refused). The server runs with the receiver's
``host:port`` as its only allowed webhook host and short retry delays. What
must hold: every commit reaches each webhook at least once, in commit order;
a commit is sent again only after a failed attempt, marked as a redelivery;
every event carries a valid HMAC-SHA256 signature; a receiver that was down
gets the events once it is back, and so does one whose server restarted in
between.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from conftest import LiveServer, free_port, start_server, stop_server
from stackatlas.history.describe import describe
from stackatlas.history.log import commits_numbered
from stackatlas.store.persistent import PersistentStore
from stackatlas.webhooks.signing import verify
from test_feed import audit_sequences, cli, commit, graphql
from test_writes import Tokens, make_store, update


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    answered: int

    @property
    def event(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A real HTTP server on loopback that records what it is sent."""

    port: int = field(default_factory=free_port)
    failing: bool = False
    redirecting: set[str] = field(default_factory=set)
    """Paths answered with a redirect to ``/redirected`` (which must never be called)."""
    got: list[Received] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                status = 500 if receiver.failing else 307 if self.path in receiver.redirecting else 204
                receiver.got.append(Received(self.path, dict(self.headers.items()), body, status))
                self.send_response(status)
                if status == 307:
                    self.send_header("Location", "/redirected")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def at(self, path: str) -> list[Received]:
        return [r for r in self.got if r.path == path]

    def delivered(self, path: str) -> list[int]:
        """The sequences answered 2xx at ``path``, in arrival order."""
        return [r.event["sequence"] for r in self.at(path) if r.answered < 300]


def wait_until(check: Callable[[], bool], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting until {what}")


@dataclass
class Harness:
    store: Path
    tokens: Tokens
    receiver: Receiver
    server: LiveServer
    hooks: dict[str, dict] = field(default_factory=dict)

    def env(self, hosts: list[str] | None = None) -> dict[str, str]:
        return {
            "STACKATLAS_WEBHOOK_HOSTS": json.dumps(
                [f"127.0.0.1:{self.receiver.port}"] if hosts is None else hosts
            ),
            "STACKATLAS_WEBHOOK_RETRY_BASE": "0.2",
            "STACKATLAS_WEBHOOK_RETRY_MAX": "1.0",
            "STACKATLAS_WEBHOOK_POLL_INTERVAL": "0.2",
            "STACKATLAS_WEBHOOK_TIMEOUT": "5",
        }

    def restart(self, hosts: list[str] | None = None) -> None:
        stop_server(self.server)
        self.server = start_server("--store", str(self.store), env=self.env(hosts))

    def admin(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens.admin}"}

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.receiver.port}{path}"

    def deliveries(self, name: str) -> list[dict]:
        hook = self.hooks[name]["id"]
        response = httpx.get(f"{self.server.url}/webhooks/{hook}/deliveries", headers=self.admin())
        assert response.status_code == 200, response.text
        return response.json()["deliveries"]


def running_harness(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[Harness]:
    """A store with tokens, a loopback receiver and a server delivering to it, stopped afterwards."""
    directory = tmp_path_factory.mktemp(name) / "store"
    tokens = make_store(directory)
    receiver = Receiver()
    receiver.start()
    harness = Harness(directory, tokens, receiver, None)  # type: ignore[arg-type]
    harness.server = start_server("--store", str(directory), env=harness.env())
    yield harness
    stop_server(harness.server)
    receiver.stop()


@pytest.fixture(scope="module")
def h(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    yield from running_harness(tmp_path_factory, "webhooks")


def register(h: Harness, name: str, **body: object) -> dict:
    response = httpx.post(
        f"{h.server.url}/webhooks", json={"url": h.url(f"/{name}"), **body}, headers=h.admin()
    )
    assert response.status_code == 201, response.text
    hook = response.json()
    assert hook["secret"].startswith("whsec_")
    h.hooks[name] = hook
    return hook


def check_signed(hook: dict, received: Received) -> None:
    header = received.headers["Stackatlas-Signature"]
    assert verify(hook["secret"], received.body, header)
    # the recipe of docs/webhooks.md, written without stackatlas
    parts = dict(p.split("=", 1) for p in header.split(","))
    mac = hmac.new(hook["secret"].encode(), parts["t"].encode() + b"." + received.body, hashlib.sha256)
    assert hmac.compare_digest(mac.hexdigest(), parts["v1"])
    assert abs(time.time() - int(parts["t"])) < 120
    assert not verify(hook["secret"], received.body + b" ", header), "a changed body fails"
    assert not verify("whsec_other", received.body, header), "another secret fails"


def check_order(h: Harness, name: str, expected: list[int]) -> None:
    """Each expected commit answered 2xx exactly once, in commit order; a repeat only as a marked redelivery."""
    got = h.receiver.at(f"/{name}")
    assert h.receiver.delivered(f"/{name}") == expected
    seen: set[int] = set()
    for received in got:
        event = received.event
        sequence = event["sequence"]
        if sequence in seen:
            assert event["redelivery"] is True and event["attempt"] > 1, event
        seen.add(sequence)
        check_signed(h.hooks[name], received)
    # nothing newer was sent before an older commit was delivered
    first_ok = {
        s: i for i, r in reversed(list(enumerate(got))) if r.answered < 300 for s in [r.event["sequence"]]
    }
    for i, received in enumerate(got):
        older = [s for s in expected if s < received.event["sequence"]]
        assert all(first_ok[s] < i for s in older if s in first_ok), "sent out of order"


def test_registration_needs_an_admin_token_and_an_allowed_host(h: Harness) -> None:
    body = {"url": h.url("/all")}
    assert httpx.post(f"{h.server.url}/webhooks", json=body).status_code == 401
    as_writer = httpx.post(
        f"{h.server.url}/webhooks", json=body, headers={"Authorization": f"Bearer {h.tokens.write}"}
    )
    assert as_writer.status_code == 403 and "needs scope admin" in as_writer.json()["error"]
    for url, says in (
        ("http://example.org/hook", "not in the operator's webhook allow-list"),
        (f"http://127.0.0.1:{free_port()}/hook", "not in the operator's webhook allow-list"),
        ("file:///etc/passwd", "must be http:// or https://"),
        (f"http://user:pw@127.0.0.1:{h.receiver.port}/", "user name or password"),
    ):
        refused = httpx.post(f"{h.server.url}/webhooks", json={"url": url}, headers=h.admin())
        assert refused.status_code == 400 and says in refused.json()["error"], refused.text
    bad_kind = httpx.post(f"{h.server.url}/webhooks", json={**body, "kinds": ["nope"]}, headers=h.admin())
    assert bad_kind.status_code == 400 and "unknown change kind 'nope'" in bad_kind.json()["error"]
    not_json = httpx.post(f"{h.server.url}/webhooks", content=b"{", headers=h.admin())
    assert not_json.status_code == 400 and "JSON object" in not_json.json()["error"]
    assert httpx.get(f"{h.server.url}/webhooks", headers=h.admin()).json() == {"webhooks": []}
    register(h, "all")
    register(h, "airflow", vendors=["airflow"])
    register(h, "reviews", kinds=["reviewed"])
    listed = httpx.get(f"{h.server.url}/webhooks", headers=h.admin()).json()["webhooks"]
    assert [w["url"] for w in listed] == [h.url("/all"), h.url("/airflow"), h.url("/reviews")]
    assert "secret" not in json.dumps(listed) and "whsec_" not in json.dumps(listed)
    shown = cli("webhook", "list", "--store", str(h.store))
    assert shown.returncode == 0 and h.url("/airflow") in shown.stdout and "vendor=airflow" in shown.stdout
    assert "whsec_" not in shown.stdout


def test_every_event_once_in_order_signed_and_filtered(h: Harness) -> None:
    start = len(audit_sequences(h.server.url))
    made = [commit(h.server.url, f"webhook role {i}", h.tokens.write) for i in range(3)]
    reviewed = graphql(
        h.server.url,
        'mutation { markReviewed(vendor: "airflow", message: "webhooks: checked") { ok commit } }',
        h.tokens.write,
    )["markReviewed"]
    assert reviewed["ok"]
    made.append(audit_sequences(h.server.url)[-1])
    assert made == audit_sequences(h.server.url)[start:]
    wait_until(lambda: h.receiver.delivered("/all") == made, "the four commits reached /all")
    check_order(h, "all", made)
    events = [r.event for r in h.receiver.at("/all")]
    assert all(e["redelivery"] is False and e["attempt"] == 1 for e in events), "no failure: no redelivery"
    assert events[0]["changes"] == [
        {"kind": "other", "vendor": "prefect", "text": 'Prefect role added: "webhook role 0"'}
    ]
    assert events[0]["by"] == "curator" and events[0]["message"] == "add role webhook role 0"
    assert events[3]["commit"] == reviewed["commit"]
    headers = h.receiver.at("/all")[0].headers
    assert headers["Stackatlas-Event"] == "commit" and headers["Content-Type"] == "application/json"
    wait_until(lambda: h.receiver.delivered("/airflow") == made[3:], "the airflow commit reached /airflow")
    wait_until(lambda: h.receiver.delivered("/reviews") == made[3:], "the review reached /reviews")
    review = h.receiver.at("/reviews")[0].event
    assert [c["kind"] for c in review["changes"]] == ["reviewed"]
    check_order(h, "airflow", made[3:])
    check_order(h, "reviews", made[3:])


def test_a_failed_delivery_is_retried_marked_as_redelivery_and_blocks_newer_ones(h: Harness) -> None:
    before = h.receiver.delivered("/all")
    h.receiver.failing = True
    made = [commit(h.server.url, f"while failing {i}", h.tokens.write) for i in range(2)]
    wait_until(
        lambda: (
            sum(1 for d in h.deliveries("all") if d["sequence"] == made[0] and d["status"] == "failed") >= 2
        ),
        "two failed attempts were logged",
    )
    assert not any(r.event["sequence"] == made[1] for r in h.receiver.at("/all")), "the newer commit waits"
    h.receiver.failing = False
    wait_until(lambda: h.receiver.delivered("/all") == before + made, "both commits were delivered")
    check_order(h, "all", before + made)
    retried = [r.event for r in h.receiver.at("/all") if r.event["sequence"] == made[0]]
    assert retried[0]["redelivery"] is False and retried[0]["attempt"] == 1
    assert all(e["redelivery"] is True for e in retried[1:]) and [e["attempt"] for e in retried] == list(
        range(1, len(retried) + 1)
    )
    log = [d for d in h.deliveries("all") if d["sequence"] == made[0]]
    assert log[0]["status"] == "delivered" and all(d["status"] == "failed" for d in log[1:])
    assert all(d["httpStatus"] == 500 for d in log[1:]) and log[0]["httpStatus"] == 204


def test_a_receiver_that_is_down_gets_the_events_when_it_is_back(h: Harness) -> None:
    before = h.receiver.delivered("/all")
    h.receiver.stop()
    made = [commit(h.server.url, f"while down {i}", h.tokens.write) for i in range(2)]
    wait_until(
        lambda: any(d["sequence"] == made[0] and d["status"] == "failed" for d in h.deliveries("all")),
        "a failed attempt was logged",
    )
    failure = next(d for d in h.deliveries("all") if d["sequence"] == made[0] and d["status"] == "failed")
    assert failure["httpStatus"] is None and "Connect" in failure["error"]
    h.receiver.start()
    wait_until(lambda: h.receiver.delivered("/all") == before + made, "the receiver got both after coming back")
    check_order(h, "all", before + made)


def test_a_server_restart_loses_no_queued_delivery(h: Harness) -> None:
    before = h.receiver.delivered("/all")
    h.receiver.stop()
    made = [commit(h.server.url, f"before restart {i}", h.tokens.write) for i in range(2)]
    wait_until(
        lambda: any(d["sequence"] == made[0] and d["status"] == "failed" for d in h.deliveries("all")),
        "a failed attempt was logged",
    )
    stop_server(h.server)  # the queue is the commit log and each webhook's cursor, both in the store
    h.receiver.start()
    assert h.receiver.delivered("/all") == before
    h.restart()
    wait_until(lambda: h.receiver.delivered("/all") == before + made, "the queued commits were delivered")
    check_order(h, "all", before + made)
    after_restart = [r.event for r in h.receiver.at("/all") if r.event["sequence"] == made[0]]
    assert after_restart[-1]["redelivery"] is True, "it had been attempted before the restart"
    logged = cli("webhook", "deliveries", h.hooks["all"]["id"], "--store", str(h.store))
    assert logged.returncode == 0, logged.stderr
    assert f"#{made[0]}\t" in logged.stdout and "redelivery" in logged.stdout and "delivered" in logged.stdout


def test_a_certification_filter_gets_the_claims_about_it_only(h: Harness) -> None:
    register(h, "fedramp", certifications=["fedramp"])
    commit(h.server.url, "no certification here", h.tokens.write)
    claimed = graphql(
        h.server.url,
        """mutation { setComplianceClaim(vendor: "dagster", offering: "offering-cloud",
            certification: "fedramp",
            status: HELD, evidence: "FedRAMP Moderate authorisation announced",
            message: "webhooks: Dagster Cloud is FedRAMP authorised") { ok commit errors { message } } }""",
        h.tokens.write,
    )["setComplianceClaim"]
    assert claimed["ok"], claimed
    wait_until(
        lambda: claimed["commit"] in [r.event["commit"] for r in h.receiver.at("/all")],
        "the claim reached /all",
    )
    wait_until(lambda: len(h.receiver.delivered("/fedramp")) == 1, "the claim reached /fedramp")
    event = h.receiver.at("/fedramp")[0].event
    assert event["commit"] == claimed["commit"] and event["vendors"] == ["dagster"]
    assert any("FEDRAMP" in c["text"] and c["kind"].startswith("claim") for c in event["changes"]), event
    check_order(h, "fedramp", [event["sequence"]])


def test_redirects_are_not_followed(h: Harness) -> None:
    hook = register(h, "moved")
    h.receiver.redirecting.add("/moved")
    made = commit(h.server.url, "to a moved receiver", h.tokens.write)
    wait_until(lambda: any(d["sequence"] == made for d in h.deliveries("moved")), "the attempt was logged")
    attempt = next(d for d in h.deliveries("moved") if d["sequence"] == made)
    assert attempt["status"] == "failed" and attempt["httpStatus"] == 307 and "redirect" in attempt["error"]
    assert h.receiver.at("/redirected") == [], "the redirect was not followed"
    wait_until(lambda: made in h.receiver.delivered("/all"), "the commit reached /all")
    assert httpx.delete(f"{h.server.url}/webhooks/{hook['id']}", headers=h.admin()).status_code == 204


def test_a_host_taken_off_the_allow_list_is_not_contacted(h: Harness) -> None:
    before = h.receiver.delivered("/all")
    h.restart(hosts=["hooks.example.org"])  # the operator narrows the list: the receiver is no longer allowed
    made = commit(h.server.url, "while not allowed", h.tokens.write)
    wait_until(
        lambda: any(d["sequence"] == made and d["status"] == "refused" for d in h.deliveries("all")),
        "the refusal was logged",
    )
    refused = next(d for d in h.deliveries("all") if d["sequence"] == made)
    assert "not in the operator's webhook allow-list" in refused["error"] and refused["httpStatus"] is None
    assert made not in [r.event["sequence"] for r in h.receiver.at("/all")], "nothing was sent"
    h.restart()  # allowed again: the queued commit goes out
    wait_until(lambda: h.receiver.delivered("/all") == [*before, made], "delivered once allowed again")
    check_order(h, "all", [*before, made])


def test_the_delivery_log_is_for_admins_and_a_removed_webhook_gets_nothing(h: Harness) -> None:
    hook = h.hooks["reviews"]["id"]
    assert httpx.get(f"{h.server.url}/webhooks/{hook}/deliveries").status_code == 401
    reader = httpx.get(
        f"{h.server.url}/webhooks/{hook}/deliveries", headers={"Authorization": f"Bearer {h.tokens.read}"}
    )
    assert reader.status_code == 403
    assert httpx.delete(f"{h.server.url}/webhooks/{hook}", headers=h.admin()).status_code == 204
    gone = httpx.get(f"{h.server.url}/webhooks/{hook}", headers=h.admin())
    assert gone.status_code == 404 and f"no webhook '{hook}'" in gone.json()["error"]
    count = len(h.receiver.at("/reviews"))
    graphql(
        h.server.url,
        'mutation { markReviewed(vendor: "prefect", message: "after removal") { ok } }',
        h.tokens.write,
    )
    made = audit_sequences(h.server.url)[-1]
    wait_until(lambda: made in h.receiver.delivered("/all"), "the commit reached /all")
    assert len(h.receiver.at("/reviews")) == count, "the removed webhook was not called"


@pytest.fixture(scope="module")
def words(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    """A harness of its own: the other tests leave webhooks failing, redirected or removed."""
    yield from running_harness(tmp_path_factory, "words")


def test_a_commits_words_are_stored_once_and_the_same_everywhere(words: Harness) -> None:
    """The words stored with the commit's audit record are what describing the commit gives, and the
    feed, the webhook event and the GraphQL history all show those words."""
    register(words, "described", vendors=["dagster"])
    graphql(
        words.server.url,
        """mutation { setComplianceClaim(vendor: "dagster", offering: "offering-cloud",
            certification: "fedramp", status: NEEDS_REVIEW, evidence: "FedRAMP authorisation in progress",
            message: "Dagster Cloud FedRAMP: to be reviewed") { ok } }""",
        words.tokens.write,
    )
    response = update(
        words.server.url,
        """PREFIX dagster: <https://w3id.org/stackatlas/id/vendor/dagster/>
        DELETE DATA { GRAPH <https://w3id.org/stackatlas/graph/vendors/dagster> {
            dagster:inpact-C sa:score 5 . dagster:inpact sa:total 27 } } ;
        INSERT DATA { GRAPH <https://w3id.org/stackatlas/graph/vendors/dagster> {
            dagster:inpact-C sa:score 4 . dagster:inpact sa:total 26 } }""",
        words.tokens.write,
        message="INPACT C re-scored",
    )
    assert response.status_code == 200, response.text
    made = audit_sequences(words.server.url)[-2:]
    wait_until(
        lambda: words.receiver.delivered("/described") == made, "both commits reached /described", timeout=120
    )
    events = {r.event["sequence"]: r.event for r in words.receiver.at("/described")}
    reader = PersistentStore(words.store, writer=False)
    try:
        records = commits_numbered(reader, made)
        for record in records:
            # stored, read back over the public SPARQL endpoint: the audit graph is public
            stored = [
                {"kind": r["kind"]["value"], "vendor": r["vendor"]["value"], "text": r["text"]["value"]}
                for r in httpx.get(
                    f"{words.server.url}/sparql",
                    params={"query": STORED_WORDS.replace("COMMIT", record.iri)},
                    headers={"Accept": "application/sparql-results+json"},
                ).json()["results"]["bindings"]
            ]
            assert stored, "the commit was described when it was made"
            assert record.descriptions is not None
            assert [c.__dict__ for c in record.descriptions] == stored
            # describing the commit when read (as for a commit recorded before words were stored)
            fresh = describe(reader, replace(record, descriptions=None))
            assert [c.__dict__ for c in fresh] == stored
            expected = [{**c, "vendor": c["vendor"].rsplit("/", 1)[1]} for c in stored]
            feed = httpx.get(f"{words.server.url}/changes", params={"since": record.sequence - 1, "limit": 1})
            assert json.loads(feed.text.splitlines()[0])["changes"] == expected
            assert events[record.sequence]["changes"] == expected
    finally:
        reader.close()
    claim, scores = (events[n]["changes"] for n in made)
    assert [c["kind"] for c in claim] in (["claim-changed"], ["claim-added"])
    assert "FEDRAMP" in claim[0]["text"] and "→" in claim[0]["text"]
    assert sorted(c["text"] for c in scores) == ["INPACT C: 5 → 4", "INPACT total: 27 → 26"]
    history = graphql(
        words.server.url,
        '{ vendor(id: "dagster") { history(first: 2) { entries { sequence changes { kind text } } } } }',
    )["vendor"]["history"]["entries"]
    assert {e["sequence"]: e["changes"] for e in history} == {
        n: [{"kind": c["kind"], "text": c["text"]} for c in events[n]["changes"]] for n in made
    }


STORED_WORDS = """PREFIX sa: <https://w3id.org/stackatlas/ontology#>
SELECT ?kind ?vendor ?text WHERE { GRAPH <https://w3id.org/stackatlas/graph/audit> {
    <COMMIT> sa:changeCount ?n ; sa:describedChange ?c .
    ?c sa:changeOrder ?order ; sa:changeKind ?kind ; sa:changeVendor ?vendor ; sa:changeText ?text } }
ORDER BY ?order"""
