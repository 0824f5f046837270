"""The replies to meeting notices, offered to the apps that record attendance (``apps.core.registry``): an
activity's, a training session's or a committee meeting's attendance page reads the replies of the notices that
name it and shows them as proposals that staff confirm."""

from apps.core.registry import ReplySource
from apps.notices import selectors

REPLY_SOURCES = [ReplySource("notices", selectors.target_replies)]
