"""What reviewers read and decide: documents held back from the published views, deliberate
acceptance, and which versions are loaded already."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Engine, delete, insert, select, text

from pipelines.model import PUBLISHED, QUARANTINED
from warehouse import schema


class AcceptError(ValueError):
    pass


def accept_document(engine: Engine, document: str, reason: str, accepted_by: str) -> str:
    """Publish a quarantined document deliberately: who, when and why are recorded, and its
    numbers appear in the published views. `document` is its id (sha256) or a unique prefix."""
    if not reason.strip():
        raise AcceptError("a reason is required")
    with engine.begin() as conn:
        matches = conn.execute(select(schema.document.c.document_id, schema.document.c.status).where(
            schema.document.c.document_id.startswith(document, autoescape=True))).all()
        if len(matches) != 1:
            raise AcceptError(f"{len(matches)} documents match {document!r}; give more of its sha256")
        (doc_id, status), = matches
        if status != QUARANTINED:
            raise AcceptError(f"document {doc_id[:16]} is {status}, not quarantined: nothing to accept")
        conn.execute(delete(schema.document_acceptance).where(schema.document_acceptance.c.document_id == doc_id))
        conn.execute(insert(schema.document_acceptance).values(
            document_id=doc_id, accepted_by=accepted_by, accepted_at=datetime.now(timezone.utc), reason=reason))
    return doc_id


@dataclass(frozen=True)
class HeldBack:
    """A current document the published views leave out, and why."""
    document_id: str
    status: str  # quarantined | failed
    unit_name: str | None
    fiscal_year: int | None
    doc_kind: str | None
    source_uri: str
    error: str | None  # why a failed document could not be read
    failed_errors: list[tuple[str, str]]  # the error-severity checks that failed: id, message (naming the page)


def held_back(engine: Engine) -> list[HeldBack]:
    """The current versions that are not published and not accepted, as first seen: quarantined
    documents with the error checks that failed, failed documents with their error."""
    with engine.connect() as conn:
        docs = conn.execute(text(
            "SELECT document_id, status, unit_name, fiscal_year, doc_kind, source_uri, error FROM v_document "
            "WHERE is_current AND status <> :published AND accepted_by IS NULL "
            "ORDER BY first_seen_at, document_id"), {"published": PUBLISHED}).all()
        c = schema.check_result.c
        errors: dict[str, list] = {}
        for doc_id, check_id, message in conn.execute(
                select(c.document_id, c.check_id, c.message)
                .where(c.document_id.in_([d.document_id for d in docs]), c.severity == "error", ~c.passed)
                .order_by(c.document_id, c.seq)):
            errors.setdefault(doc_id, []).append((check_id, message))
    return [HeldBack(*d, failed_errors=errors.get(d.document_id, [])) for d in docs]


def loaded_versions(engine: Engine) -> dict[str, str]:
    """document_id → parser version of what is already in the warehouse (for skipping reruns)."""
    with engine.connect() as conn:
        return dict(conn.execute(select(schema.document.c.document_id, schema.document.c.parser_version)).all())
