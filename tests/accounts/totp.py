"""The code an authenticator app shows, computed independently of allauth (RFC 6238: HMAC-SHA1, 30 s, 6 digits)."""

import base64
import hashlib
import hmac
import struct
import time


def totp(secret, at=None):
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret, casefold=True), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def fresh_totp(secret, margin=5):
    """A code with at least `margin` seconds left to live: allauth accepts only the current 30-second step, and a
    code typed at the very end of one would be refused by the time it arrives."""
    if 30 - time.time() % 30 < margin:
        time.sleep(30 - time.time() % 30 + 0.1)
    return totp(secret)
