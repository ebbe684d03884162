"""A replica of Báo Điện Biên Phủ: a deterministic model of the site, served over loopback HTTP.

    from crawler.replica import Replica, ReplicaServer
    replica = Replica(seed=1, articles=200)
    with ReplicaServer(replica) as server:     # server.url == "http://127.0.0.1:PORT"
        truth = replica.expected(Replica.SEED_ARTICLE_ID)

See `model` (articles, time, truth), `pages`/`render_*` (markup), `site` (routing), `server` (HTTP).
"""

from crawler.replica.model import Changes, Replica
from crawler.replica.pages import Page
from crawler.replica.server import ReplicaServer, run_forever

__all__ = ["Changes", "Page", "Replica", "ReplicaServer", "run_forever"]
