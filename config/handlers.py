"""Django's ASGI handler with its worker threads kept between requests.

Django runs each HTTP request's synchronous code (our middleware and views) in a
ThreadSensitiveContext, and asgiref gives every such context a new single-thread executor: a
thread is started for each request and joined after it. Under load that was about an eighth of
a daphne process's CPU (py-spy on bench/checkin.py: Thread.start, ThreadPoolExecutor.submit and
the join in ThreadSensitiveContext.__aexit__). Here each request borrows an idle single-thread
executor instead and gives it back when it is done. A request still runs all its synchronous
code on one thread of its own, as Django expects, and concurrent requests still run on
different threads; WSGI servers reuse their threads the same way."""

import threading
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext
from django.core.handlers.asgi import ASGIHandler


class ExecutorPool:
    """Idle single-thread executors, most recently used first. Grows to the number of requests
    in flight at the busiest moment; beyond `max_idle` idle executors, returned ones are shut
    down so a burst does not leave hundreds of threads behind."""

    def __init__(self, *, max_idle: int = 64) -> None:
        self.max_idle = max_idle
        self._idle: list[ThreadPoolExecutor] = []
        self._lock = threading.Lock()

    def borrow(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="request")

    def give_back(self, executor: ThreadPoolExecutor) -> None:
        with self._lock:
            if len(self._idle) < self.max_idle:
                self._idle.append(executor)
                return
        executor.shutdown(wait=False)

    @property
    def idle(self) -> int:
        return len(self._idle)


class PooledThreadASGIHandler(ASGIHandler):
    def __init__(self, *, pool: ExecutorPool | None = None) -> None:
        super().__init__()
        self.pool = pool or ExecutorPool()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await super().__call__(scope, receive, send)
        executor = self.pool.borrow()
        try:
            # The outermost context decides the executor: Django's own ThreadSensitiveContext
            # inside super().__call__ then reuses this one instead of starting a thread.
            async with ThreadSensitiveContext(executor=executor):
                await super().__call__(scope, receive, send)
        finally:
            self.pool.give_back(executor)


def get_asgi_application() -> PooledThreadASGIHandler:
    """django.core.asgi.get_asgi_application with the pooled handler."""
    import django

    django.setup(set_prefix=False)
    return PooledThreadASGIHandler()
