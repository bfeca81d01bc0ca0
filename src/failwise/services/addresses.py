"""A client's address as the throttles count it: a parsed IP address, or "unknown".

The web server hands on what it believes is the client's address; behind a proxy
it may come from ``X-Forwarded-For`` (``failwise serve --proxy-headers``), which
a client can fill with anything. So the sign-in throttle never counts the text it
is given: an IPv4 address counts as itself (an IPv4-mapped IPv6 address too), an
IPv6 address as its /64 network (one host usually holds a whole /64, and could
otherwise pick a new address for every guess), and anything else — a name, a
list, junk, nothing — as the one :data:`UNKNOWN` client, so that made-up
addresses share a single budget instead of getting one each.
"""

from __future__ import annotations

import ipaddress

__all__ = ["UNKNOWN", "client_key"]

UNKNOWN = "unknown"
"""Every client whose address is not an IP address."""

IPV6_PREFIX = 64


def client_key(address: str | None) -> str:
    """The address the throttles count ``address`` under.

    >>> client_key("203.0.113.7"), client_key("::ffff:203.0.113.7")
    ('203.0.113.7', '203.0.113.7')
    >>> client_key("2001:DB8::1"), client_key("2001:db8::ffff:1")
    ('2001:db8::/64', '2001:db8::/64')
    >>> client_key("1.2.3.4, 5.6.7.8"), client_key("evil"), client_key(None)
    ('unknown', 'unknown', 'unknown')
    """
    try:
        parsed = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return UNKNOWN
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        # From the packed bytes: a zone (fe80::1%eth0) is no part of the network.
        return str(ipaddress.IPv6Network((parsed.packed, IPV6_PREFIX), strict=False))
    return str(parsed)
