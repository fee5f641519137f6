"""A certificate of attendance as PDF (WeasyPrint, tagged PDF/UA-1 as the evidence bundle is)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from harbour.training.models import Attendee


def certificate_pdf(attendee: Attendee) -> bytes:
    from weasyprint import HTML

    session = attendee.session
    html = render_to_string(
        "training/certificate_pdf.html",
        {
            "attendee": attendee,
            "session": session,
            "provider": session.provider,
            "on": timezone.localtime(session.starts_at).date(),
            "hours": round(session.duration_minutes / 60, 1),
        },
    )
    document = HTML(string=html, base_url=None).render(pdf_tags=True)
    data = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    assert data is not None
    return bytes(data)


def certificate_filename(attendee: Attendee) -> str:
    """Nothing identifying: the date and a short random part of the attendee's public id."""
    on = timezone.localtime(attendee.session.starts_at).date().isoformat()
    return f"certificate-of-attendance-{on}-{attendee.public_id.hex[:8]}.pdf"
