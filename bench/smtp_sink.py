"""A mail server for the benchmark, in a process of its own: it accepts every message on
127.0.0.1:PORT and, when stopped (SIGTERM), prints how many it received and how many distinct
Message-IDs they carried, as JSON.

    python bench/smtp_sink.py PORT
"""

import json
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Counting:
    def __init__(self):
        self.received = 0
        self.ids: set[str] = set()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.received += 1
        for line in envelope.content.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                self.ids.add(line.decode("ascii", "replace"))
                break
        return "250 OK"


def main() -> None:
    port = int(sys.argv[1])
    handler = Counting()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    controller.stop()
    print(json.dumps({"received": handler.received, "unique": len(handler.ids)}), flush=True)


if __name__ == "__main__":
    main()
