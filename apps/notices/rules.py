"""The notices' rules in one place: what HTML a body may hold, and how often the unread may be reminded."""

import nh3

# The rich text an editor needs and nothing that runs: no script, style, event handler or javascript: link.
ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h3", "h4", "blockquote", "a",
                "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
TITLE_MAX = 200
BODY_MAX = 50_000
# The recipients of one notice are reminded at most once a calendar day.
REMINDERS_PER_DAY = 1


def clean_html(text: str) -> str:
    """``text`` with only the allowed tags and attributes (links get rel="noopener noreferrer")."""
    return nh3.clean(text, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"})


def may_remind(last_reminded_on, today) -> bool:
    return last_reminded_on is None or last_reminded_on < today
