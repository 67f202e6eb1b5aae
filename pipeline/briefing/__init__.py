"""The 7-minute briefing.

Takes a case (its ``briefing:`` section, else text drafted from the report); gives the
handout PDF, HTML and text, and the discussion proforma.
"""
