"""Hostile and broken input: one clear line, an invalid verdict or exit 2, nothing read.

The validator runs in a child process so a hang (a file or URL read that should not happen)
fails by timeout instead of blocking the suite, and so its peak memory can be measured.
"Not read" is proven with a named pipe: opening one for reading blocks until a writer comes,
so a validator that tried to read it would never finish. "No network" is proven with a local
server that records every connection.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from validate_helpers import MINI_RNG

MB = 1024 * 1024
#: generous ceiling for the child's peak memory: lxml and Python alone take about 60 MB
MEMORY_CEILING = 400 * MB

PROBE = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
print(json.dumps({"code": done.returncode, "out": done.stdout, "err": done.stderr,
                  "peak": peak}))
"""


def validate(*paths: Path | str, timeout: float = 60) -> dict:
    """Run ``tei-cable validate --format json`` in a child process; its outcome and peak RSS."""
    command = [
        sys.executable,
        "-m",
        "tei_cable",
        "validate",
        "--schema",
        str(MINI_RNG),
        "--format",
        "json",
        "--jobs",
        "1",
        *map(str, paths),
    ]
    if sys.platform == "win32":  # pragma: no cover - no resource module
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        return {"code": done.returncode, "out": done.stdout, "err": done.stderr, "peak": 0}
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, *command], capture_output=True, text=True, timeout=timeout
    )
    return json.loads(probe.stdout)


def only_issue(outcome: dict) -> dict:
    assert outcome["code"] == 1, outcome
    assert outcome["peak"] < MEMORY_CEILING, f"peak memory {outcome['peak'] // MB} MB"
    report = json.loads(outcome["out"])
    (entry,) = report["files"]
    assert entry["valid"] is False
    assert len(entry["issues"]) >= 1
    issue = entry["issues"][0]
    assert "\n" not in issue["message"] and issue["line"] >= 1
    return issue


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("named pipes are needed to prove that nothing is read")
    path = tmp_path / "secret.dtd"
    os.mkfifo(path)
    return path


@pytest.fixture
def server():
    """A local HTTP-ish server that counts connections (none must come)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.2)
    hits: list[object] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            hits.append(conn)
            conn.sendall(b"HTTP/1.0 200 OK\r\n\r\n<!ENTITY x 'leaked'>")
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/", hits
    stop.set()
    thread.join(2)
    listener.close()


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


TEI_START = '<TEI xmlns="http://www.tei-c.org/ns/1.0">'


def test_external_entity_to_a_local_file_is_not_read(tmp_path: Path, fifo: Path) -> None:
    doc = write(
        tmp_path,
        "xxe.xml",
        f'<?xml version="1.0"?>\n<!DOCTYPE TEI [\n'
        f'<!ENTITY xxe SYSTEM "{fifo.as_uri()}">]>\n{TEI_START}&xxe;</TEI>',
    )
    issue = only_issue(validate(doc, timeout=30))
    assert (issue["engine"], issue["rule"], issue["line"]) == ("xml", "external-entity", 4)
    assert issue["message"].startswith('external entity "xxe"') and "not read" in issue["message"]


def test_external_entity_to_a_url_is_not_fetched(tmp_path: Path, server) -> None:
    url, hits = server
    doc = write(
        tmp_path,
        "xxe.xml",
        f'<!DOCTYPE TEI [<!ENTITY xxe SYSTEM "{url}x">]>\n{TEI_START}<p>&xxe;</p></TEI>',
    )
    issue = only_issue(validate(doc))
    assert issue["rule"] == "external-entity" and url in issue["message"]
    assert hits == []


def test_external_entity_in_an_attribute_is_refused(tmp_path: Path, fifo: Path) -> None:
    doc = write(
        tmp_path, "xxe.xml", f'<!DOCTYPE TEI [<!ENTITY xxe SYSTEM "{fifo}">]>\n<TEI n="&xxe;"/>'
    )
    issue = only_issue(validate(doc, timeout=30))
    assert (issue["severity"], issue["rule"], issue["line"]) == ("fatal", "not-well-formed", 2)
    assert "external entity" in issue["message"]


def test_external_dtd_subset_is_not_read(tmp_path: Path, fifo: Path, server) -> None:
    url, hits = server
    for name, system in (("local.xml", str(fifo)), ("remote.xml", url + "tei.dtd")):
        doc = write(
            tmp_path,
            name,
            f'<?xml version="1.0"?>\n<!DOCTYPE TEI SYSTEM "{system}">\n{TEI_START}&nbsp;</TEI>',
        )
        outcome = validate(doc, timeout=30)
        issue = only_issue(outcome)
        assert (issue["rule"], issue["line"], issue["column"]) == ("external-dtd", 2, 1)
        assert system in issue["message"]
        rules = [i["rule"] for i in json.loads(outcome["out"])["files"][0]["issues"]]
        assert "undeclared-entity" in rules  # &nbsp; would have come from the DTD
    assert hits == []


def test_external_parameter_entity_is_not_read(tmp_path: Path, fifo: Path) -> None:
    doc = write(
        tmp_path,
        "pe.xml",
        f'<!DOCTYPE TEI [<!ENTITY % ext SYSTEM "{fifo}"> %ext;]>\n{TEI_START}</TEI>',
    )
    issue = only_issue(validate(doc, timeout=30))
    assert issue["rule"] == "external-entity" and "%ext;" in issue["message"]


def test_billion_laughs_fails_fast_without_expanding(tmp_path: Path) -> None:
    levels = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    doc = write(
        tmp_path,
        "lol.xml",
        f'<!DOCTYPE TEI [<!ENTITY lol0 "lol">{levels}]>\n{TEI_START}<p>&lol9;</p></TEI>',
    )
    issue = only_issue(validate(doc))
    assert issue["severity"] == "fatal" and "entity expansion too large" in issue["message"]


def test_internal_entities_within_limits_are_expanded(tmp_path: Path) -> None:
    doc = write(
        tmp_path,
        "ok.xml",
        '<!DOCTYPE TEI [<!ENTITY me "Zhou Enlai">]>\n'
        + Path(MINI_RNG.parent / "valid.xml")
        .read_text(encoding="utf-8")
        .split("\n", 1)[1]
        .replace("Zhou Enlai", "&me;"),
    )
    outcome = validate(doc)
    assert outcome["code"] == 0, outcome["out"]


def test_nesting_100000_deep_is_refused(tmp_path: Path) -> None:
    doc = write(tmp_path, "deep.xml", TEI_START + "<hi>" * 100_000 + "</hi>" * 100_000 + "</TEI>")
    issue = only_issue(validate(doc))
    assert issue["severity"] == "fatal" and "nested too deeply" in issue["message"]


def test_a_50_mb_text_node_is_refused(tmp_path: Path) -> None:
    doc = tmp_path / "big.xml"
    with open(doc, "wb") as handle:
        handle.write(f"{TEI_START}<p>".encode())
        chunk = b"x" * MB
        for _ in range(50):
            handle.write(chunk)
        handle.write(b"</p></TEI>")
    issue = only_issue(validate(doc))
    assert issue["severity"] == "fatal" and "text node too long" in issue["message"]


@pytest.mark.parametrize(
    ("name", "data", "words", "position"),
    [
        ("binary.xml", bytes(range(256)) * 8, "binary data: not an XML document", (1, 1)),
        ("empty.xml", b"", "empty file: not an XML document", (1, 1)),
        (
            "page.xml",
            b"<!DOCTYPE html>\n<html><body><p>a<br>b</p></body></html>",
            "(this looks like HTML, not XML)",
            (2, 26),
        ),
        (
            "latin1.xml",
            f"{TEI_START}<p>caf\u00e9</p></TEI>".encode("latin-1"),
            "do not match the document's encoding",
            (1, 48),
        ),
        (
            "cut.xml",
            f'<?xml version="1.0"?>\n{TEI_START}<teiHeader><fileDesc>'.encode(),
            "(the file ends before the document does: truncated?)",
            (2, 63),
        ),
    ],
)
def test_files_that_are_not_xml_are_invalid_with_one_clear_line(
    tmp_path: Path, name: str, data: bytes, words: str, position: tuple[int, int]
) -> None:
    issue = only_issue(validate(write(tmp_path, name, data)))
    assert issue["severity"] == "fatal" and words in issue["message"]
    assert (issue["line"], issue["column"]) == position


def test_a_broken_file_does_not_stop_the_others(tmp_path: Path) -> None:
    bad = write(tmp_path, "a.xml", b"\x00\x01")
    good = write(tmp_path, "b.xml", (MINI_RNG.parent / "valid.xml").read_bytes())
    outcome = validate(bad, good)
    report = json.loads(outcome["out"])
    assert outcome["code"] == 1
    assert [(f["path"], f["valid"]) for f in report["files"]] == [
        (str(bad), False),
        (str(good), True),
    ]


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    outcome = validate(tmp_path / "nothing.xml")
    assert outcome["code"] == 2 and outcome["out"] == ""
    lines = outcome["err"].strip().splitlines()
    assert len(lines) == 1 and "nothing.xml: no such file or folder" in lines[0]


def test_an_unreadable_file_exits_2_after_checking_the_rest(tmp_path: Path) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("the superuser can read any file")
    locked = write(tmp_path, "locked.xml", b"<TEI/>")
    locked.chmod(0)
    good = write(tmp_path, "good.xml", (MINI_RNG.parent / "valid.xml").read_bytes())
    outcome = validate(locked, good)
    report = json.loads(outcome["out"])
    assert outcome["code"] == 2
    assert report["files"][0]["issues"][0]["rule"] == "unreadable"
    assert report["files"][1]["valid"] is True


def _many_attributes(count: int, known: str = "") -> bytes:
    attributes = " ".join(f'a{i}="x"' for i in range(count))
    return (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt>'
        f"<title {known}{attributes}>t</title></titleStmt><publicationStmt><p/>"
        "</publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>"
        "<text><body><p>x</p></body></text></TEI>"
    ).encode()


def test_thousands_of_unknown_attributes_cost_no_derivative_each(monkeypatch) -> None:
    """An element with n unknown attributes: each is judged by its name alone (no walk of the
    grammar), the first 100 are reported where they stand and the rest counted in one issue."""
    import tei_cable
    from tei_cable.relaxng.derivatives import Derivatives as Patterns

    calls = []
    original = Patterns.attribute_deriv

    def counting(self, *args, **kwargs):
        calls.append(args[1])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Patterns, "attribute_deriv", counting)
    report = tei_cable.validate(_many_attributes(3000, 'xml:lang="en" '), engines="rng")
    issues = [issue for _path, issue in report.issues]
    assert len(issues) == 101
    assert {i.rule for i in issues} == {"attribute-not-allowed"}
    assert issues[0].message.startswith('attribute "a0" not allowed here; expected attribute')
    assert issues[0].line == 1 and issues[0].column == issues[1].column - len('a0="x" ')
    assert issues[99].message.startswith('attribute "a99" not allowed here')
    assert issues[100].message.startswith('2900 more attributes not allowed on element "title"')
    assert issues[100].column == issues[99].column + len('a99="x" ')
    # only the known attribute was derived; the 3,000 unknown names never were
    assert all(name[1] != "a0" and not name[1].startswith("a1") for name in calls)
    assert len(calls) <= 2
