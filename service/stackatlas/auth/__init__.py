"""Bearer tokens: who may write (and, when the operator closes reads, who may read).

Tokens live in the store (the system graph ``graph/system/tokens``), so every
process that opens the store — and future replicas over a remote engine — sees
the same tokens. Only a token's SHA-256 hash is kept; the token itself is
printed once by ``stackatlas token add``.
"""

from __future__ import annotations

from .tokens import SCOPES, Principal, TokenInfo, add_token, authenticate, has_tokens, list_tokens, revoke_token

__all__ = [
    "SCOPES",
    "Principal",
    "TokenInfo",
    "add_token",
    "authenticate",
    "has_tokens",
    "list_tokens",
    "revoke_token",
]
