"""Live events over a WebSocket: GET /ws?token=<JWT access token>.

Every create, update and delete of the resource is sent to each connected
client as JSON: {"type": "<resource>.created", "data": {...}}. A client may send
{"type": "ping"} and gets {"type": "pong"} (in order with the events). A
missing, invalid or expired token is refused with close code 1008.

Events go to the clients of this process only; behind several processes or
replicas, relay them through a shared channel (e.g. Redis pub/sub).
"""

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import Iterator
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, FastAPI, Request, WebSocket, WebSocketDisconnect, status
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials

from app.errors import AppError
from app.security import get_current_user

logger = logging.getLogger(__name__)

QUEUE_SIZE = 100  # events kept for a slow client; the oldest are dropped beyond this


class Broadcaster:
    """Fan-out of events to every subscriber; publish() may be called from any thread."""

    def __init__(self) -> None:
        self._subscribers: set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[Any]]] = set()
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def subscribe(self) -> Iterator[asyncio.Queue[Any]]:
        queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=QUEUE_SIZE)
        entry = (asyncio.get_running_loop(), queue)
        with self._lock:
            self._subscribers.add(entry)
        try:
            yield queue
        finally:
            with self._lock:
                self._subscribers.discard(entry)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    def publish(self, event_type: str, data: Any) -> None:
        message = {"type": event_type, "data": data}
        with self._lock:
            subscribers = list(self._subscribers)
        for loop, queue in subscribers:
            with contextlib.suppress(RuntimeError):  # that client's loop is closed
                loop.call_soon_threadsafe(put_dropping_oldest, queue, message)


def put_dropping_oldest(queue: asyncio.Queue[Any], message: Any) -> None:
    if queue.full():
        queue.get_nowait()
        logger.warning("websocket client too slow: an event was dropped")
    queue.put_nowait(message)


def get_broadcaster(request: Request) -> Broadcaster:
    return request.app.state.broadcaster


BroadcasterDep = Annotated[Broadcaster, Depends(get_broadcaster)]


def _authenticated(app: FastAPI, token: str) -> bool:
    credentials = HTTPAuthorizationCredentials(scheme="Bearer", credentials=token)
    with app.state.session_factory() as session:
        try:
            get_current_user(session, app.state.settings, credentials)
        except AppError:
            return False
    return True


router = APIRouter(tags=["realtime"])


@router.websocket("/ws")
async def events(websocket: WebSocket, token: str = "") -> None:
    if not token or not await run_in_threadpool(_authenticated, websocket.app, token):
        await websocket.close(code=status.WS_1008_POLICY_VIOLATION, reason="Invalid token")
        return
    broadcaster: Broadcaster = websocket.app.state.broadcaster
    with broadcaster.subscribe() as queue:  # before accept(): no event is missed
        await websocket.accept()

        async def send_events() -> None:
            with contextlib.suppress(WebSocketDisconnect, RuntimeError):  # the client left
                while True:
                    await websocket.send_json(await queue.get())
            tasks.cancel_scope.cancel()

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(send_events)
            with contextlib.suppress(WebSocketDisconnect):
                while True:
                    if _is_ping(await websocket.receive_text()):
                        put_dropping_oldest(queue, {"type": "pong"})
            tasks.cancel_scope.cancel()


def _is_ping(text: str) -> bool:
    try:
        message = json.loads(text)
    except ValueError:
        return False
    return isinstance(message, dict) and message.get("type") == "ping"
