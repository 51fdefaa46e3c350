"""The Dask runner (the optional ``dask`` extra): batch shards coded on a ``dask.distributed`` cluster.

``--dask local`` starts a ``LocalCluster`` of worker processes on this machine (one thread each:
spaCy releases the GIL only in parts, so processes, not threads, use the cores); an address
such as ``tcp://10.0.0.5:8786`` joins a running scheduler, whose workers need detente (and the
spaCy model) installed. A worker plugin prepares every worker once, including workers that
join later: one thread per numerical library, then the model loaded. Workers only return rows;
the driver writes every file (see ``batch.runner``).

Only ``runner`` (when ``--dask`` is given) and the CLI's address check import this module, so
``detente --help`` and every other command work without Dask installed. It sits inside
``batch``, below the runner that picks it: nothing here imports the runner back.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterator
from typing import Any

from ..errors import BadOption, DetenteError
from .worker import CodingOptions, ShardJob, ShardResult, code_shard, prepare_worker

try:
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # pragma: no cover - the extra is not installed; DaskCoder says so when asked for
    WorkerPlugin = object  # type: ignore[misc,assignment]

__all__ = ["DaskCoder", "PrepareWorker", "check_dask_address"]

_ADDRESS = re.compile(r"^(tcp|tls|ws|wss|ucx|inproc)://[^\s/]+$")
CONNECT_TIMEOUT = "20s"


def check_dask_address(value: str) -> str:
    """``local`` or a scheduler address (``tcp://HOST:PORT``); anything else is a BadOption."""
    if value == "local" or _ADDRESS.match(value):
        return value
    raise BadOption(f"--dask {value!r} is neither 'local' nor a scheduler address",
                    "give --dask local, or the scheduler's address such as tcp://10.0.0.5:8786")


class PrepareWorker(WorkerPlugin):
    """Runs once on every worker (and on workers that join later): the batch worker initializer."""

    name = "detente-prepare-worker"

    def __init__(self, load_model: bool = True) -> None:
        self.load_model = load_model

    def setup(self, worker: Any) -> None:
        prepare_worker(self.load_model)


def _require_dask() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise DetenteError("--dask needs Dask, which is not installed",
                           "install the extra: pip install 'detente[dask]'") from exc
    return distributed


class DaskCoder:
    """A ``ShardCoder`` on Dask: at most two shards per worker thread in flight, results as they finish."""

    def __init__(self, options: CodingOptions, *, address: str, workers: int = 1) -> None:
        distributed = _require_dask()
        self.options = options
        self._cluster: Any = None
        check_dask_address(address)
        try:
            if address == "local":
                self._cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                         dashboard_address=None, silence_logs=logging.ERROR)
                self._client = distributed.Client(self._cluster)
            else:
                self._client = distributed.Client(address, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            self.close()
            raise DetenteError(f"cannot reach the Dask scheduler at {address} ({exc})",
                               "start the scheduler and its workers, or check the address") from exc
        self._client.register_plugin(PrepareWorker(options.loads_model))
        threads = sum(self._client.nthreads().values())
        if threads < 1:
            self.close()
            raise DetenteError(f"the Dask cluster at {address} has no workers",
                               "start at least one worker: dask worker ADDRESS")
        self.capacity = 2 * threads
        where = "a local Dask cluster" if self._cluster is not None else f"the Dask cluster at {address}"
        self.description = f"{where} ({len(self._client.nthreads())} workers, {threads} threads)"

    def code_shards(self, jobs: Iterator[ShardJob]) -> Iterator[ShardResult]:
        distributed = _require_dask()
        finished = distributed.as_completed()

        def submit_next() -> None:
            job = next(jobs, None)
            if job is None:
                return
            with warnings.catch_warnings():
                # A shard of large pages is a large task argument; it is sent once, on purpose.
                warnings.filterwarnings("ignore", message=".*[Ll]arge graph.*")
                finished.add(self._client.submit(code_shard, job, self.options, pure=False,
                                                 key=f"detente-shard-{job.index}-{job.digest[:12]}"))

        for _ in range(self.capacity):
            submit_next()
        for future in finished:
            try:
                result: ShardResult = future.result()
            except distributed.KilledWorker as exc:
                raise DetenteError(f"Dask workers died while coding a shard ({exc})",
                                   "give the workers more memory, then run the same command again: "
                                   "complete shards are kept") from exc
            future.release()
            submit_next()
            yield result

    def close(self) -> None:
        client = getattr(self, "_client", None)
        if client is not None:
            client.close()
        if self._cluster is not None:
            self._cluster.close()
