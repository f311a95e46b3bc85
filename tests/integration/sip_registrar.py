#!/usr/bin/python3
# SPDX-License-Identifier: MPL-2.0
"""A stand-in Lync registrar for the tests and the lab: SIP over TLS that answers an
unauthenticated REGISTER as a Lync 2013 front end does (401, WWW-Authenticate NTLM,
Kerberos and TLS-DSK, lync-bootstrap.md section 3), or misbehaves on purpose: a 401
without TLS-DSK, something that is not SIP, or silence. Serves until killed; traffic only
to who connects."""
import argparse
import re
import socket
import ssl
import threading

REALM = 'realm="SIP Communications Service"'


def challenge(mode, fqdn):
    """The WWW-Authenticate headers of the 401 for mode."""
    offers = [f'NTLM {REALM}, targetname="{fqdn}", version=4',
              f'Kerberos {REALM}, targetname="sip/{fqdn}", version=4']
    if mode == "tls-dsk":
        offers.append(f'TLS-DSK {REALM}, targetname="{fqdn}", version=4, '
                      f'sts-uri="https://{fqdn}:443/CertProv/CertProvisioningService.svc"')
    return "".join(f"WWW-Authenticate: {offer}\r\n" for offer in offers)


def answer(mode, fqdn, request):
    """The registrar's answer to one request, or None for none."""
    if mode == "silent":
        return None
    if mode == "not-sip":
        return b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
    # The dialog headers come back as they were sent (RFC 3261 8.2.6.2), the To with a tag.
    head = {}
    for line in request.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        head.setdefault(name.strip().lower(), value.strip())
    to = head.get("to", "") + ";tag=lyncboot-stand-in"
    text = (f"SIP/2.0 401 Unauthorized\r\n{challenge(mode, fqdn)}"
            f"Via: {head.get('via', '')}\r\nFrom: {head.get('from', '')}\r\nTo: {to}\r\n"
            f"Call-ID: {head.get('call-id', '')}\r\nCSeq: {head.get('cseq', '')}\r\n"
            f"Server: RTC/5.0 (lyncboot stand-in)\r\nContent-Length: 0\r\n\r\n")
    return text.encode()


def serve(conn, mode, fqdn):
    try:
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = conn.recv(4096)
            if not chunk:
                return
            data += chunk
        request = data.decode("latin-1")
        if not re.match(r"REGISTER sip:\S+ SIP/2\.0\r\n", request):
            return
        reply = answer(mode, fqdn, request.split("\r\n\r\n")[0])
        if reply is None:
            threading.Event().wait(30)  # holds the connection, answers nothing
        else:
            conn.sendall(reply)
    except (OSError, ssl.SSLError):
        pass
    finally:
        conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bind", required=True)
    ap.add_argument("--port", type=int, default=5061)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--fqdn", required=True, help="the front end's name in the challenge")
    ap.add_argument("--mode", default="tls-dsk",
                    choices=["tls-dsk", "no-tls-dsk", "not-sip", "silent"])
    args = ap.parse_args()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((args.bind, args.port))
    listener.listen(64)
    print(f"sip_registrar ready on {args.bind}:{args.port} mode {args.mode}", flush=True)
    while True:
        raw, _ = listener.accept()
        raw.settimeout(10)  # a client that never finishes its handshake cannot hold this
        try:
            conn = context.wrap_socket(raw, server_side=True)
        except (OSError, ssl.SSLError):
            raw.close()  # a client that only checks the handshake, or gives up
            continue
        threading.Thread(target=serve, args=(conn, args.mode, args.fqdn), daemon=True).start()


if __name__ == "__main__":
    main()
