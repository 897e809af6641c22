"""The upstream layer: the REST client run off the event loop within each call's deadline.

:class:`Upstream` owns the ``MaxComputeClient`` and the bounded thread pool every upstream
request runs on; the service layer and the watch engine both call MaxCompute through it
(``await upstream.run(upstream.client.method, ..., deadline=upstream.deadline(t))``).
Reads that combine several REST calls live in ``_reads.py``.
"""

from mcgateway.upstream._reads import (
    CONCURRENT_ABOVE,
    InstanceView,
    gather_instance_view,
    read_instance_view,
)
from mcgateway.upstream._runner import (
    RoundTrip,
    Timeout,
    Upstream,
    build_client,
    load_project_credentials,
)

__all__ = [
    "CONCURRENT_ABOVE",
    "InstanceView",
    "RoundTrip",
    "Timeout",
    "Upstream",
    "build_client",
    "gather_instance_view",
    "load_project_credentials",
    "read_instance_view",
]
