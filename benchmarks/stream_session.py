"""One dashboard session spoken over Streamlit's own WebSocket protocol, as a browser tab speaks it.

A browser tab costs the load script a full Chromium renderer; on a two-core machine twenty of them starve
the server they are meant to load. This client asks the server for exactly what a tab asks for — a
session, then one script run per page opened (``BackMsg.rerun_script``) — and reads every message the
server sends back (``ForwardMsg``) without drawing it: the server does all of its work, the client
almost none. A run counts as failed when the page shows an exception or an error box, when the server
says the page does not exist, or when the run does not finish.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


@dataclass
class PageRun:
    """What one script run sent: its time from request to finish, its headings and any errors shown."""

    seconds: float = 0.0
    headings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class StreamSession:
    """``async with StreamSession(url) as session: run = await session.open("target")``."""

    def __init__(self, url: str, timeout: float = 300.0):
        self.address = url.replace("http://", "ws://", 1).rstrip("/") + "/_stcore/stream"
        self.timeout = timeout
        self.socket = None

    async def __aenter__(self) -> StreamSession:
        self.socket = await websockets.connect(self.address, subprotocols=["streamlit"], max_size=None)
        return self

    async def __aexit__(self, *_) -> None:
        await self.socket.close()

    async def open(self, page: str) -> PageRun:
        """Open a page by its address (``""`` for the home page) and wait until its script has finished."""
        request = BackMsg(rerun_script=ClientState(query_string="", page_name=page))
        run, started = PageRun(), time.perf_counter()
        await self.socket.send(request.SerializeToString())
        try:
            await asyncio.wait_for(self._read_until_finished(run), self.timeout)
        except TimeoutError:
            run.errors.append(f"page {page or 'home'} did not finish within {self.timeout:.0f} s")
        run.seconds = time.perf_counter() - started
        return run

    async def _read_until_finished(self, run: PageRun) -> None:
        while True:
            message = ForwardMsg()
            message.ParseFromString(await self.socket.recv())
            kind = message.WhichOneof("type")
            if kind == "delta":
                _read_delta(message.delta, run)
            elif kind == "page_not_found":
                run.errors.append(f"page not found: {message.page_not_found.page_name}")
            elif kind == "script_finished" and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                if message.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    run.errors.append("the page's script did not compile")
                return


def _read_delta(delta, run: PageRun) -> None:
    if delta.WhichOneof("type") != "new_element":
        return
    element = delta.new_element
    kind = element.WhichOneof("type")
    if kind == "exception":
        run.errors.append(f"exception {element.exception.type}: {element.exception.message}")
    elif kind == "alert" and element.alert.format == Alert.ERROR:
        run.errors.append(f"error box: {element.alert.body}")
    elif kind == "heading":
        run.headings.append(element.heading.body)
