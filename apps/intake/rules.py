"""The public page's rules in one place: the limits that keep a voter's opinion (选民意见) cheap to take and
hard to abuse, and the lookup code's alphabet."""

import datetime

# Submissions: from one address, and with one phone, at most this many in the window (the next is refused).
WINDOW = datetime.timedelta(minutes=10)
ADDRESS_LIMIT = 10
PHONE_LIMIT = 10
# Lookups of a code (在线查询) from one address in the window.
LOOKUP_LIMIT = 30

TEXT_MAX = 2000
NAME_MAX = 50
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000  # a larger image is refused before it is decoded (a decompression bomb)
PHOTO_MAX_SIDE = 2048  # re-encoded no larger than this

# The lookup code: 8 characters without 0/O, 1/I/L (32 symbols: 40 bits, and lookups are rate-limited).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
# The token in a code's URL: not the pk, not guessable (secrets.token_urlsafe of this many bytes).
TOKEN_BYTES = 12
