"""Webhooks: every commit sent as a signed JSON event to the URLs an operator registered.

:mod:`.registry` keeps registrations, cursors and the delivery log in the
system graph ``graph/system/webhooks``; :mod:`.events` decides what a webhook
wants and writes the event; :mod:`.signing` signs it (HMAC-SHA256);
:mod:`.dispatcher` delivers the commit log in order, with retries;
:mod:`.http` and :mod:`.cli` manage webhooks. See ``docs/webhooks.md``.
"""
