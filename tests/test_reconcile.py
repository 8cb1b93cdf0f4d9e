"""`edition reconcile` against a real HTTP server on loopback that answers like a W3C reconciliation service
(v0.2: manifest on GET, `queries=` form POST → result batch) from recorded responses."""

from __future__ import annotations

import http.server
import json
import shutil
import socket
import threading
import urllib.parse
from pathlib import Path

import pytest

from tei_edition import TEI_NS, XML_NS
from tei_edition.xmlsafe import parse_file

from test_import_errors import run

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "reconcile"
T = "{%s}" % TEI_NS
XID = "{%s}id" % XML_NS


class Service(http.server.ThreadingHTTPServer):
    """A reconciliation service: `mode` "ok" answers from the fixtures, "html" and "shape" answer garbage."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.manifest = (FIXTURES / "manifest-wikidata.json").read_bytes()
        self.results = json.loads((FIXTURES / "results-wikidata.json").read_text(encoding="utf-8"))
        self.batches: list[dict] = []
        self.mode = "ok"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/en/api"


class Handler(http.server.BaseHTTPRequestHandler):
    server: Service

    def log_message(self, *args) -> None:
        pass

    def _send(self, body: bytes, ctype: str = "application/json", status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.server.mode == "html":
            self._send(b"<html><body>Service moved</body></html>", "text/html")
        elif self.server.mode == "500":
            self._send(b"oops", "text/plain", 500)
        else:
            self._send(self.server.manifest)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8"))
        batch = json.loads(form["queries"][0])
        self.server.batches.append(batch)
        if self.server.mode == "shape":
            self._send(json.dumps({k: {"candidates": []} for k in batch}).encode())
            return
        answer = {key: {"result": self.server.results.get(q["query"], [])[: q.get("limit", 3)]}
                  for key, q in batch.items()}
        self._send(json.dumps(answer).encode())


@pytest.fixture
def service():
    srv = Service()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(timeout=5)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "edition.toml", tmp_path / "edition.toml")
    shutil.copytree(ROOT / "tei" / "register", tmp_path / "tei" / "register")
    shutil.copytree(ROOT / "tei" / "schema", tmp_path / "tei" / "schema")
    return tmp_path


def _entry(project: Path, eid: str):
    root = parse_file(project / "tei" / "register" / "persons.xml").getroot()
    return root.find(f".//{T}person[@{XID}='{eid}']")


def test_query_writes_the_candidates_with_their_scores(project, service):
    rc, out = run(project, "reconcile", "query", "--service", service.url,
                  "--entry", "pers-steinberg", "--entry", "pers-spiridonova", "--entry", "pers-lenin")
    assert rc == 0, out
    assert "Wikidata (en): 3 entries asked, 2 with candidates, 4 rows" in out
    # the manifest's batchSize (2) splits the three queries into two batches
    assert [len(b) for b in service.batches] == [2, 1]
    sent = {q["query"]: q for b in service.batches for q in b.values()}
    assert sent["Isaac Steinberg"]["type"] == "Q5"
    steinberg = _entry(project, "pers-steinberg")
    birth = steinberg.find(T + "birth").get("when")[:4]
    assert {"pid": "P569", "v": birth} in sent["Isaac Steinberg"]["properties"]
    assert {"pid": "P570", "v": "1957"} in sent["Isaac Steinberg"]["properties"]
    lines = [ln for ln in (project / "reconcile-review.tsv").read_text(encoding="utf-8").splitlines()
             if not ln.startswith("#")]
    header = lines[0].split("\t")
    rows = [dict(zip(header, ln.split("\t"))) for ln in lines[1:]]
    assert [(r["entry"], r["candidate"], r["score"], r["match"]) for r in rows] == [   # in register order
        ("pers-lenin", "", "", ""),     # no candidate: the entry is listed all the same
        ("pers-steinberg", "Q90000001", "97.5", "yes"),
        ("pers-steinberg", "Q90000002", "40.25", ""),
        ("pers-spiridonova", "Q90000003", "88", ""),
    ]


def test_apply_writes_the_accepted_id_with_its_provenance(project, service):
    persons = project / "tei" / "register" / "persons.xml"
    before = persons.read_text(encoding="utf-8")
    rc, out = run(project, "reconcile", "query", "--service", service.url, "--entry", "pers-steinberg")
    assert rc == 0, out
    review = project / "reconcile-review.tsv"
    text = review.read_text(encoding="utf-8")
    review.write_text(text.replace("\tpers-steinberg\tperson\tIsaac Steinberg\t1888–1957\tQ90000001",
                                   "x\tpers-steinberg\tperson\tIsaac Steinberg\t1888–1957\tQ90000001"),
                      encoding="utf-8")
    rc, out = run(project, "reconcile", "apply")
    assert rc == 0, out
    assert "pers-steinberg: wikidata Q90000001 written to persons.xml" in out
    entry = _entry(project, "pers-steinberg")
    assert [(i.get("type"), i.text) for i in entry.findall(T + "idno")] == [("wikidata", "Q90000001")]
    prov = entry.findall(T + "bibl")[-1]
    assert "Wikidata Q90000001" in prov.text and service.url in prov.text and "accepted by the editors" in prov.text
    after = persons.read_text(encoding="utf-8")
    added = [ln for ln in after.splitlines() if ln not in before.splitlines()]
    assert len(added) == 2 and len(after.splitlines()) == len(before.splitlines()) + 2   # nothing else changed
    # applying twice changes nothing
    rc, out = run(project, "reconcile", "apply")
    assert rc == 0 and "already recorded" in out
    assert persons.read_text(encoding="utf-8") == after
    # the register stays valid for the project schema
    rc, out = run(project, "validate", str(persons))
    assert rc == 0, out
    # and a second query skips the entry that now has its id
    rc, out = run(project, "reconcile", "query", "--service", service.url, "--entry", "pers-steinberg")
    assert rc == 0 and "0 entries asked" in out, out


def test_two_accepted_candidates_for_one_entry_are_refused(project, service):
    run(project, "reconcile", "query", "--service", service.url, "--entry", "pers-steinberg")
    review = project / "reconcile-review.tsv"
    lines = review.read_text(encoding="utf-8").splitlines()
    review.write_text("\n".join("x" + ln if ln.startswith("\tpers-steinberg") else ln for ln in lines) + "\n",
                      encoding="utf-8")
    before = (project / "tei" / "register" / "persons.xml").read_bytes()
    rc, out = run(project, "reconcile", "apply")
    assert rc == 2 and "two wikidata candidates accepted for pers-steinberg" in out and "Traceback" not in out
    assert (project / "tei" / "register" / "persons.xml").read_bytes() == before


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("mode,expected", [
    ("down", "cannot reach the reconciliation service"),
    ("html", "did not answer with JSON"),
    ("500", "answered HTTP 500"),
    ("shape", "not a reconciliation result batch"),
])
def test_a_service_down_or_answering_garbage_is_a_clear_error(project, service, mode, expected):
    url = f"http://127.0.0.1:{_free_port()}/api" if mode == "down" else service.url
    service.mode = mode
    rc, out = run(project, "reconcile", "query", "--service", url, "--entry", "pers-steinberg")
    assert rc == 2, out
    assert expected in out and "hint:" in out and "Traceback" not in out and "internal error" not in out
    assert not (project / "reconcile-review.tsv").exists()


def test_apply_without_a_review_file_says_what_to_do(project):
    rc, out = run(project, "reconcile", "apply")
    assert rc == 2 and "no review file" in out and "edition reconcile query" in out
