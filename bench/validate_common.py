"""Shared pieces of the validation benchmarks: the machine, schemas, Jing, timing.

Not a benchmark itself; ``validate_startup.py``, ``validate_batch.py`` and
``validate_tei_all.py`` use it. Run those by hand (see ``bench/README.md``).
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
TEI = SHARED / "tei"
CORPUS = TEI / "corpus"
OUT = REPO / "bench" / "out"
sys.path.insert(0, str(REPO))


def machine() -> str:
    """One line: OS, cores, CPU model, Python, lxml and libxml2, Java."""
    import lxml.etree as etree

    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    java = "no Java"
    if shutil.which("java"):
        done = subprocess.run(["java", "-version"], capture_output=True, text=True)
        java = (done.stderr or done.stdout).splitlines()[0]
    libxml2 = ".".join(map(str, etree.LIBXML_VERSION))
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}); "
        f"Python {platform.python_version()}, lxml {etree.__version__} (libxml2 {libxml2}); "
        f"{java}"
    )


_SPIN = (
    "import time\nt = time.process_time()\nx = 0\n"
    "for i in range(10_000_000): x += i\nprint(time.process_time() - t)"
)


def parallel_gain() -> str:
    """One line: how much more work all cores do at once than one core alone (a pure-Python
    loop, alone and then one copy per core at the same time). On a virtual machine whose
    cores share a physical one, each copy slows down and the gain is far below the count of
    cores; a multi-process run gains no more than this."""
    alone = float(
        subprocess.run([sys.executable, "-c", _SPIN], capture_output=True, text=True).stdout
    )
    cores = os.cpu_count() or 1
    copies = [
        subprocess.Popen([sys.executable, "-c", _SPIN], stdout=subprocess.PIPE, text=True)
        for _ in range(cores)
    ]
    each = [float(c.communicate()[0]) for c in copies]
    gain = sum(alone / t for t in each)
    return (
        f"{cores} cores at once: each copy of a CPU-bound loop takes "
        f"{min(each) / alone:.2f}–{max(each) / alone:.2f}× its time alone; together they do "
        f"{gain:.2f}× the work of one core"
    )


def tei_cable_command() -> list[str]:
    return [sys.executable, "-m", "tei_cable", "validate"]


def pyjing() -> str | None:
    beside = Path(sys.executable).parent / "pyjing"
    return str(beside) if beside.exists() else shutil.which("pyjing")


#: Jing recurses deeply on large grammars; the reference timings used an 8 MB thread stack.
#: Python keeps its compiled modules (an installed package has them), whatever this shell says
JAVA_ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "JAVA_TOOL_OPTIONS": "-Xss8m",
}


def wall(command: list[str], **kwargs: object) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run a command; its wall-clock seconds and result (Java with an 8 MB stack)."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=JAVA_ENV, **kwargs)  # type: ignore[call-overload]
    return time.perf_counter() - start, done


def median_wall(command: list[str], repeat: int) -> float:
    return statistics.median(wall(command)[0] for _ in range(repeat))


def jing_invalid(output: str) -> set[str]:
    """Paths Jing reported an error or fatal error for (a crash is not a verdict: stop)."""
    if "Exception in thread" in output or "StackOverflowError" in output:
        raise SystemExit("Jing crashed:\n" + output[:2000])
    return {m.group(1) for m in re.finditer(r"^(.+?):\d+:\d+: (?:fatal )?error", output, re.M)}


def our_invalid(report_json: str) -> set[str]:
    return {f["path"] for f in json.loads(report_json)["files"] if not f["valid"]}


def schema_paths(name: str) -> tuple[str, Path]:
    """The ``--schema`` value for tei-cable and the RELAX NG file Jing reads for the same schema.

    ``tei_cable``: the packaged ``tei_cable.rng``; ``tei_all`` or an ``.odd``: the RELAX NG our
    ODD compiler made (compiled now if it is not cached yet), as ``schema build`` writes it
    (beside it, in ``libxml2/``, is the flat copy of the same grammar tei-cable compiles, which
    for ``tei_all`` overflows Jing's default stack); an ``.rng``: that file.
    """
    from tei_cable.schemas import resolve

    rng = resolve(name).files["rng"]
    beside = rng.parent.parent / rng.name
    if rng.parent.name == "libxml2" and beside.is_file():
        rng = beside
    return name, rng


def fmt(seconds: float) -> str:
    return f"{seconds:.3f} s" if seconds < 10 else f"{seconds:.1f} s"
