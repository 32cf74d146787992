"""A C-core xDS client (Debian's python3-grpcio): calls /test.Echo/Who on an xds:/// target
and prints one line per call ("OK <backend>" or "ERR <code>") until stdin closes or the time
limit passes. The bootstrap comes from GRPC_XDS_BOOTSTRAP_CONFIG."""
import sys
import threading
import time

import grpc


def main() -> None:
    target, limit = sys.argv[1], float(sys.argv[2])
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    channel = grpc.insecure_channel(target)
    who = channel.unary_unary("/test.Echo/Who")
    deadline = time.time() + limit
    while not stop.is_set() and time.time() < deadline:
        try:
            print("OK " + who(b"", timeout=2).decode(), flush=True)
        except grpc.RpcError as err:  # the channel may not be configured yet
            print("ERR " + str(err.code()), flush=True)
        stop.wait(0.05)
    channel.close()


if __name__ == "__main__":
    main()
