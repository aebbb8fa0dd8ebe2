"""The copied sources are unchanged, and nothing reads outside the project."""

import hashlib
import re

from gpai_kg import paths


def test_every_source_file_matches_its_recorded_sha256():
    listed = {}
    for line in (paths.SOURCES_DIR / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        listed[name.removeprefix("./")] = digest
    present = {str(p.relative_to(paths.SOURCES_DIR)) for p in paths.SOURCES_DIR.rglob("*")
               if p.is_file() and p.name not in ("SHA256SUMS", "PROVENANCE.md")}
    assert present == set(listed)
    for name, digest in listed.items():
        assert hashlib.sha256((paths.SOURCES_DIR / name).read_bytes()).hexdigest() == digest, name


def test_formex_files_match_the_official_manifest():
    import json

    manifest = json.loads((paths.SOURCES_DIR / "ai-act/formex/MANIFEST.json").read_text(encoding="utf-8"))
    checked = 0
    for entry in manifest["snapshots"]:
        if entry["file"].startswith("formex/") and entry["file"].endswith(".fmx.xml"):  # the zip is not copied
            data = (paths.SOURCES_DIR / "ai-act" / entry["file"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["file"]
            checked += 1
    assert checked >= 14


def test_no_code_reads_the_shared_folder():
    for path in list((paths.ROOT / "gpai_kg").rglob("*.py")) + [paths.ROOT / "app.py"]:
        if path.is_file():
            assert not re.search(r"\.\./shared|/shared/sources", path.read_text(encoding="utf-8")), path
