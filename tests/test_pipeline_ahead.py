"""Workers read ahead of the consumer: a few sources each by default, or as many as the consumer
asks for (ingest asks for a batch, so the workers extract the next batch while one is written)."""
from concurrent.futures import Future

import ties.pipeline as pipeline
from ties.sources import Source


class RecordingPool:
    """A pool that runs each source at once and remembers how many it was given."""

    def __init__(self):
        self.submitted = 0

    def submit(self, work, source):
        self.submitted += 1
        done = Future()
        done.set_result((source.path, None))
        return done

    def shutdown(self, cancel_futures=False):
        pass


def read_ahead(monkeypatch, **options) -> tuple[int, list[str]]:
    """(sources submitted when the first result comes, every result's path in order)."""
    pool = RecordingPool()
    monkeypatch.setattr(pipeline, "worker_pool", lambda jobs: pool)
    results = pipeline.process((Source(f"新聞{i}.txt") for i in range(30)), jobs=2, **options)
    first = next(results)
    submitted = pool.submitted
    return submitted, [first[0]] + [path for path, _ in results]


def test_a_few_sources_in_flight_by_default(monkeypatch):
    submitted, paths = read_ahead(monkeypatch)
    assert submitted == 4
    assert paths == [f"新聞{i}.txt" for i in range(30)]


def test_a_consumer_may_ask_for_more_ahead(monkeypatch):
    submitted, paths = read_ahead(monkeypatch, ahead=12)
    assert submitted == 12
    assert paths == [f"新聞{i}.txt" for i in range(30)]  # still in order
