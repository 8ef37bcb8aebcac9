"""Settings for bench/websocket.py with BENCH_LAYER=pubsub: the platform's settings with
channels-redis's pub/sub layer, where a group message is published once and each daphne
process fans it out to its own consumers (the core layer pushes one copy per consumer)."""

from config.settings import *  # noqa: F403

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL], "prefix": "techmart"},  # noqa: F405
    }
}
