"""Report sections: notes for what a cohort or study cannot show."""

from __future__ import annotations


def test_section_notes_for_studies_that_cannot_compare():
    from evalkit.reporting.sections import section_note

    for key in ("one_delivery", "one_facilitator", "benefits"):
        assert section_note(key, "id") != section_note(key, "en")
