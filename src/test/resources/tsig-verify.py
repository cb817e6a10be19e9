#!/usr/bin/python3
"""Checks a TSIG-signed DNS answer with dnspython, an implementation independent of dnsjava.

Arguments: key name, algorithm (e.g. hmac-sha256), base64 secret, request (hex), answer (hex).
dnspython stops at a TSIG error code (BADTIME) before it looks at the MAC, so its validate step is
replaced by one that skips only that stop and the clock check: the MAC is still computed by
dnspython's own digest (RFC 8945 4.3.3: request MAC, message, TSIG variables with Other Data).
Prints one JSON object: rcode, tsig error, mac ("ok" or the reason), time signed, other data.
"""
import json
import struct
import sys

import dns.exception
import dns.message
import dns.name
import dns.rcode
import dns.tsig

name, algorithm, secret, request_hex, answer_hex = sys.argv[1:6]
key = dns.tsig.Key(name, secret, algorithm)
seen = {}


def validate(wire, key, owner, rdata, now, request_mac, tsig_start, ctx=None, multi=False):
    (adcount,) = struct.unpack("!H", wire[10:12])
    new_wire = wire[0:10] + struct.pack("!H", adcount - 1) + wire[12:tsig_start]
    if key.name != owner or key.algorithm != rdata.algorithm:
        raise dns.tsig.BadKey
    dns.tsig._digest(new_wire, key, rdata, None, request_mac, None, False).verify(rdata.mac)
    seen["rdata"] = rdata
    return None


dns.tsig.validate = validate
keyring = {dns.name.from_text(name): key}
request = dns.message.from_wire(bytes.fromhex(request_hex), keyring=keyring)
out = {}
try:
    answer = dns.message.from_wire(bytes.fromhex(answer_hex), keyring=keyring, request_mac=request.mac)
    out["mac"] = "ok"
    out["rcode"] = dns.rcode.to_text(answer.rcode())
except dns.exception.DNSException as e:
    out["mac"] = type(e).__name__
rdata = seen.get("rdata")
if rdata is not None:
    out["error"] = dns.rcode.to_text(rdata.error)
    out["time_signed"] = rdata.time_signed
    out["other"] = int.from_bytes(rdata.other, "big") if len(rdata.other) == 6 else rdata.other.hex()
print(json.dumps(out))
