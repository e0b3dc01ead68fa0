"""Transcript use cases that change stored data: speaker relabelling.

Whisper (or channel attribution) names speakers `speaker_0`, `speaker_1`...;
the parties rename them ('manager', 'employee', a name). The change is audited
with before/after hashes and never touches the words said.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from copilot.domain.canonical import content_hash
from copilot.errors import InputError, NotFound
from copilot.schema import Transcript
from copilot.storage import repo
from copilot.storage.models import TranscriptRow


def relabel_speakers(sess: Session, *, transcript_id: str, mapping: dict[str, str], actor_id: str) -> Transcript:
    """Rename speakers by an old → new mapping; every old name must occur in the transcript."""
    row = sess.get(TranscriptRow, transcript_id)
    if row is None:
        raise NotFound(f"transcript {transcript_id} not found")
    transcript = Transcript.model_validate(row.content)
    present = {seg.speaker for seg in transcript.segments}
    unknown = sorted(set(mapping) - present)
    if unknown:
        raise InputError(f"no such speaker(s) in the transcript: {', '.join(unknown)}")
    if any(not new.strip() for new in mapping.values()):
        raise InputError("a new speaker label must not be empty")
    before = content_hash(transcript)
    relabelled = transcript.model_copy(
        update={
            "segments": [
                seg.model_copy(update={"speaker": mapping.get(seg.speaker, seg.speaker).strip()})
                for seg in transcript.segments
            ]
        }
    )
    row.content = relabelled.model_dump(mode="json")
    repo.append_audit(
        sess,
        actor_id=actor_id,
        action="transcript.relabel",
        object_type="transcript",
        object_id=transcript_id,
        before_hash=before,
        after_hash=content_hash(relabelled),
        details={"speakers": sorted(mapping)},
    )
    return relabelled
