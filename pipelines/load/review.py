"""What reviewers read and decide: documents held back from the published views, deliberate
acceptance, and which versions are loaded already."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Engine, and_, delete, insert, select, text

from pipelines.model import PUBLISHED, QUARANTINED
from warehouse import derived, schema
from warehouse.migrate import in_bi


class AcceptError(ValueError):
    pass


def _one_document(conn, document: str) -> tuple[str, str]:
    """(id, status) of the document whose sha256 is `document` or starts with it; AcceptError unless one.
    On PostgreSQL the transaction then holds its unit's lock (warehouse/derived.py unit_lock), as a load
    of the unit's documents does, before anything is changed."""
    d = schema.document.c
    matches = conn.execute(select(d.document_id, d.status, d.unit_key).where(
        d.document_id.startswith(document, autoescape=True))).all()
    if len(matches) != 1:
        raise AcceptError(f"{len(matches)} documents match {document!r}; give more of its sha256")
    doc_id, status, unit = matches[0]
    if unit:
        derived.unit_lock(conn, unit)
        status = conn.execute(select(d.status).where(d.document_id == doc_id)).scalar_one()  # as of the lock
    return doc_id, status


def _republish(conn, doc_id: str) -> None:
    """The published versions of the document's unit again: an acceptance may publish it (warehouse/derived.py)."""
    unit = conn.execute(select(schema.document.c.unit_key).where(schema.document.c.document_id == doc_id)).scalar()
    derived.rank_versions(conn, [unit], [doc_id])


def accept_document(engine: Engine, document: str, reason: str, accepted_by: str) -> str:
    """Publish a quarantined document deliberately: who, when and why are recorded, and its
    numbers appear in the published views. `document` is its id (sha256) or a unique prefix."""
    if not reason.strip():
        raise AcceptError("a reason is required")
    with engine.begin() as conn:
        doc_id, status = _one_document(conn, document)
        if status != QUARANTINED:
            raise AcceptError(f"document {doc_id[:16]} is {status}, not quarantined: nothing to accept")
        conn.execute(delete(schema.document_acceptance).where(schema.document_acceptance.c.document_id == doc_id))
        conn.execute(insert(schema.document_acceptance).values(
            document_id=doc_id, accepted_by=accepted_by, accepted_at=datetime.now(timezone.utc), reason=reason))
        _republish(conn, doc_id)
    return doc_id


@dataclass(frozen=True)
class AcceptedCheck:
    document_id: str
    check_key: str
    check_id: str
    message: str


def accept_check(engine: Engine, document: str, check: str, reason: str, accepted_by: str) -> AcceptedCheck:
    """Silence one failed check of one document deliberately: who, when and why are recorded in
    check_acceptance, kept across reloads of the document (the check has the same check_key when it is
    read again). `check` is the check's key (v_check_result.check_key, or a unique prefix of it), or its
    rule id where only one check of that rule failed. A quarantined document whose failed error checks
    are all accepted counts as accepted (v_published_document), its status staying quarantined."""
    if not reason.strip():
        raise AcceptError("a reason is required")
    c = schema.check_result.c
    with engine.begin() as conn:
        doc_id, _ = _one_document(conn, document)
        failed = conn.execute(select(c.check_key, c.check_id, c.message).where(
            c.document_id == doc_id, ~c.passed, c.check_key.is_not(None)).order_by(c.seq)).all()
        matches = [f for f in failed if f.check_key == check] or [
            f for f in failed if f.check_key.startswith(check) or f.check_id == check]
        if len(matches) != 1:
            listed = "".join(f"\n  {f.check_key}  {f.check_id}: {f.message[:100]}" for f in (matches or failed))
            what = f"{len(matches)} failed checks of document {doc_id[:16]} match {check!r}"
            raise AcceptError(f"{what}; name one by its check_key{':' + listed if listed else ''}")
        key, check_id, message = matches[0]
        ca = schema.check_acceptance
        conn.execute(delete(ca).where(ca.c.document_id == doc_id, ca.c.check_key == key))
        conn.execute(insert(ca).values(document_id=doc_id, check_key=key, check_id=check_id, accepted_by=accepted_by,
                                       accepted_at=datetime.now(timezone.utc), reason=reason))
        _republish(conn, doc_id)
    return AcceptedCheck(doc_id, key, check_id, message)


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
    # the error-severity checks that failed and are not accepted: rule id, message (naming the page), check_key
    failed_errors: list[tuple[str, str, str]]


def held_back(engine: Engine) -> list[HeldBack]:
    """The current versions that are not published and not accepted (as a whole, or each failed error
    check by itself), as first seen: quarantined documents with the error checks that failed and are not
    accepted, failed documents with their error."""
    with engine.connect() as conn:
        docs = conn.execute(text(in_bi(conn,
            "SELECT document_id, status, unit_name, fiscal_year, doc_kind, source_uri, error FROM v_document d "
            "WHERE is_current AND status <> :published AND accepted_by IS NULL "
            "AND NOT (EXISTS (SELECT 1 FROM check_acceptance k WHERE k.document_id = d.document_id) "
            "         AND NOT EXISTS (SELECT 1 FROM v_check_result r WHERE r.document_id = d.document_id "
            "                         AND r.severity = 'error' AND NOT r.passed AND NOT r.accepted)) "
            "ORDER BY first_seen_at, document_id")), {"published": PUBLISHED}).all()
        c, k = schema.check_result.c, schema.check_acceptance.c
        errors: dict[str, list] = {}
        for doc_id, check_id, message, key in conn.execute(
                select(c.document_id, c.check_id, c.message, c.check_key)
                .outerjoin_from(schema.check_result, schema.check_acceptance,
                                and_(k.document_id == c.document_id, k.check_key == c.check_key))
                .where(c.document_id.in_([d.document_id for d in docs]), c.severity == "error", ~c.passed,
                       k.check_key.is_(None))
                .order_by(c.document_id, c.seq)):
            errors.setdefault(doc_id, []).append((check_id, message, key))
    return [HeldBack(*d, failed_errors=errors.get(d.document_id, [])) for d in docs]


def loaded_versions(engine: Engine) -> dict[str, str]:
    """document_id → parser version of what is already in the warehouse (for skipping reruns)."""
    with engine.connect() as conn:
        return dict(conn.execute(select(schema.document.c.document_id, schema.document.c.parser_version)).all())
