"""Database benchmark: ingest a synthetic corpus built from samples/, then query it.

    python benchmarks/bench_store.py --docs 100000 [--model] [--keep DIR]
    python benchmarks/bench_store.py --steps 10000,100000,1000000 [--keep DIR] [--names 5000]

Each synthetic document is a new arrangement of sentences from the samples' clean text under a
headline and a random date (2016–2026), so stories differ; 2% are reposts of an earlier document
with scraped-page chrome around it, which must join that story. Documents are stored as `ties
ingest` stores them (in batches). Reports, at the end or at each step of one growing database:
ingest docs/s and docs per CPU-second (of the documents since the previous step; the CPU rate
holds when the machine is shared), peak memory, database size,
stories/documents/events, search latency p50/p95 for 2-, 3- and 5-character queries, and
`/api/events` latency p50/p95 with filters (partner, since/until, topic, type), in-process.

By default every document names the samples' few dozen people and dozen named initiatives, so
their reports pile up in the same weeks as the corpus grows: the merge's worst case. `--names N`
gives each document people drawn from N invented names of each script (Han, transliterated,
Latin) and initiatives from N invented ones, the commoner far more often (Zipf: the first about
1/ln(N) of the draws, as a president is in many releases), so the corpus grows more as a real
archive does; the bodies (ministries, AIT, the European Parliament) stay the samples' own.
"""
from __future__ import annotations

import argparse
import random
import re
import resource
import statistics
import tempfile
import time
from itertools import accumulate
from pathlib import Path

from ties.extraction import ner
from ties.extraction.run import extract
from ties.filters import topic_ids
from ties.model import ReadFailure
from ties.pipeline import read_source
from ties.sources import iter_sources
from ties.store.db import connect
from ties.store.ingest import Batch, collecting_rarely
from ties.store.queries import partner_codes, search_rows, stats

CHROME = "快訊新聞網 | NewsNow\n首頁 政治 國際 財經\n{title}\n{date}\n分享 複製連結\n{body}\n延伸閱讀\n某明星宣布婚訊\n© 快訊新聞網 版權所有\n"


def sample_sentences(samples: Path) -> list[str]:
    sentences = []
    for source in iter_sources([str(samples)]):
        doc = read_source(source)
        if not isinstance(doc, ReadFailure):
            sentences += [s + "。" for s in doc.text.replace("\n", "").split("。") if len(s) > 15]
    return sentences


def build(folder: Path, n: int, sentences: list[str], rng: random.Random,
          invented: InventedNames | None = None) -> None:
    bodies = []
    for i in range(n):
        if bodies and rng.random() < 0.02:
            title, date, body = rng.choice(bodies)
            text = CHROME.format(title=title, date=date, body=body)
        else:
            picked = rng.sample(sentences, rng.randint(8, 15))
            if invented:
                picked = invented.recast(picked)
            body = "\n".join("".join(picked[j:j + 4]) for j in range(0, len(picked), 4))
            title = picked[0][:rng.randint(14, 28)].rstrip("，。")
            date = f"{rng.randint(2016, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            text = f"{title}\n{date}\n{body}\n"
            bodies.append((title, date, body))
            if len(bodies) > 2000:
                bodies.pop(0)
        (folder / f"{i // 1000:03d}").mkdir(exist_ok=True)
        (folder / f"{i // 1000:03d}" / f"{i:06d}.txt").write_text(text, encoding="utf-8")


# What invented names are made of (benchmark data, not the project's knowledge).
_SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余盧梁趙顏柯翁魏孫戴范方宋鄧杜傅侯曹薛丁卓阮馬董唐藍石蔣古紀姚連馮歐程湯田康姜白汪鄒尤巫黎涂龔嚴韓袁金童陸夏柳邵錢伍倪溫譚駱熊任甘秦顧毛章史官萬俞雷饒"
_GIVEN = "志明家豪俊傑建宏冠宇承翰柏宗怡君雅婷淑芬美玲欣佳穎文雄正祺國華秀英麗惠珍慧琪子瑜偉誠信德安平嘉哲維凱"
_SYLLABLES = "克拉斯特馬尼羅伊貝爾森德納莫里卡諾維亞基安托蘭茲普霍蒙薩瓦勒圖"
_PAIRS = ["台美", "台日", "台歐", "台捷", "台波", "台立", "台英", "台法", "台德", "台印", "台澳", "台加", "台荷",
          "台瑞", "台越", "台泰", "台菲", "台韓", "台紐", "台斯"]
_FIELDS = ["半導體", "綠能", "智慧城市", "數位", "醫衛", "太空", "農業", "教育", "海洋", "防災", "人工智慧", "電動車",
           "生技", "資安", "文化", "觀光", "金融", "氫能", "無人機", "水資源"]
# an initiative keeps what kind it is (the samples' suffix), only its stem is invented
_INITIATIVE_SUFFIXES = ("合作備忘錄", "瞭解備忘錄", "備忘錄", "合作協議", "論壇", "協議", "計畫", "對話", "專案", "網路",
                        "架構", "國際松")
_FIRST = ["Anna", "Lukas", "Marta", "Pierre", "Sofia", "Jonas", "Elena", "Tomas", "Laura", "Mikael", "Clara",
          "Daniel", "Eva", "Hugo", "Ines", "Karel", "Lena", "Marco", "Nora", "Oskar"]
_LAST = ["Novak", "Schmidt", "Rossi", "Dubois", "Kowalski", "Jensen", "Garcia", "Horvat", "Lindqvist", "Moreau",
         "Petrov", "Silva", "Brennan", "Virtanen", "Costa", "Berg", "Ivanova", "Fischer", "Laine", "Weber"]


class InventedNames:
    """The samples' person and initiative names, each replaced in a document by one of SIZE
    invented names of its kind, drawn Zipf-wise (the same replacement throughout the document)."""

    def __init__(self, names: list[str], initiatives: list[str], size: int, rng: random.Random):
        self.kind_of = {name: _kind(name) for name in names} | {name: "initiative" for name in initiatives}
        self.names = sorted(self.kind_of, key=len, reverse=True)  # 林佳龍 before 林佳, were both names
        self.rng = rng
        self.pools = {kind: self._invent(kind, size) for kind in ("han", "foreign", "latin", "initiative")}
        self.weights = list(accumulate(1 / (rank + 1) for rank in range(size)))

    def _invent(self, kind: str, size: int) -> list[str]:
        made: dict[str, None] = {}
        while len(made) < size:
            if kind == "han":
                name = self.rng.choice(_SURNAMES) + "".join(self.rng.sample(_GIVEN, self.rng.choice((1, 2))))
            elif kind == "initiative":
                stem = self.rng.choice(_PAIRS) + self.rng.choice(_FIELDS)
                name = stem if len(made) < 400 else f"第{self.rng.randint(2, 30)}屆{stem}"
            elif kind == "foreign":
                name = "".join(self.rng.choices(_SYLLABLES, k=self.rng.randint(3, 5)))
            else:
                name = f"{self.rng.choice(_FIRST)} {self.rng.choice(_LAST)}{len(made) // 400 or ''}"
            made.setdefault(name, None)
        return list(made)

    def recast(self, sentences: list[str]) -> list[str]:
        text = "\n".join(sentences)
        chosen = {}
        for name in self.names:
            if name in text:
                invented = self.rng.choices(self.pools[self.kind_of[name]], cum_weights=self.weights)[0]
                chosen[name] = invented + _suffix(name) if self.kind_of[name] == "initiative" else invented
        if not chosen:
            return sentences
        swap = re.compile("|".join(map(re.escape, chosen)))
        return swap.sub(lambda m: chosen[m.group()], text).split("\n")


def _suffix(initiative: str) -> str:
    return next((end for end in _INITIATIVE_SUFFIXES if initiative.endswith(end)), "計畫")


def _kind(name: str) -> str:
    if name.isascii() or re.search("[A-Za-zÀ-ž]", name):
        return "latin"
    return "han" if len(name) <= 3 and name[0] in _SURNAMES else "foreign"


def sample_names(samples: Path) -> tuple[list[str], list[str]]:
    """The person and initiative names rules-only extraction finds in the samples (as written in
    their text)."""
    names, initiatives = set(), set()
    with ner.switched_off(True):
        for source in iter_sources([str(samples)]):
            doc = read_source(source)
            if not isinstance(doc, ReadFailure):
                found = extract(doc)
                names |= {p.name for p in found.persons if len(p.name) >= 2 and p.name in doc.text}
                initiatives |= {i.name for i in found.initiatives if i.name in doc.text}
    return sorted(names), sorted(initiatives)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--steps", help="comma-separated sizes (10000,100000): every figure at each size, one database")
    ap.add_argument("--model", action="store_true", help="run the NER model (default: rules only)")
    ap.add_argument("--samples", type=Path, default=Path(__file__).resolve().parents[1] / "samples")
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--names", type=int, default=0,
                    help="invented names of each kind (people of each script, initiatives) that documents draw "
                         "theirs from (default: the samples' own)")
    ap.add_argument("--keep", type=Path, help="keep the corpus and database in this folder")
    ap.add_argument("--db", help="store into this database URL (an empty PostgreSQL database: "
                                 "postgresql://…) instead of bench.db in the work folder")
    ap.add_argument("--search-only", action="store_true", help="only the query part, on the database in --keep")
    ap.add_argument("--corpus-only", action="store_true",
                    help="only build the corpus in --keep DIR/corpus (distinct documents for timing "
                         "`ties extract` and `ties ingest` against each other)")
    args = ap.parse_args()
    if args.corpus_only and not args.keep:
        raise SystemExit("--corpus-only needs --keep DIR")
    if args.search_only:
        if not args.db and (not args.keep or not (args.keep / "bench.db").exists()):
            raise SystemExit("--search-only needs --db URL, or --keep DIR holding bench.db from an earlier run")
        db = args.db or str(args.keep / "bench.db")
        search_latency(connect(db, create=False), args.queries, random.Random(7))
        api_latency(db, args.queries, random.Random(7))
        return
    steps = sorted({int(n) for n in args.steps.split(",")}) if args.steps else [args.docs]
    rng = random.Random(7)
    work = args.keep or Path(tempfile.mkdtemp(prefix="ties-bench-"))
    corpus, db = work / "corpus", args.db or str(work / "bench.db")
    corpus.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    invented = InventedNames(*sample_names(args.samples), args.names, random.Random(11)) if args.names else None
    build(corpus, steps[-1], sample_sentences(args.samples), rng, invented)
    print(f"corpus: {steps[-1]} documents built in {time.perf_counter() - t0:.0f} s")
    if args.corpus_only:
        print(f"in {corpus}")
        return
    engine = connect(db)
    sources = iter_sources([str(corpus)])
    done = 0
    for step in steps:
        if len(steps) > 1:
            print(f"== {step} documents ==", flush=True)
        ingest(engine, sources, done, step, args.model)
        done = step
        report(engine, db, args.queries, rng)
    print(f"kept in {work}" if args.keep else f"(scratch folder {work})")


def ingest(engine, sources, start: int, end: int, model: bool) -> None:
    """Read, extract and store documents start+1..end of the corpus, and print the rates."""
    t0, cpu0 = time.perf_counter(), time.process_time()
    storing = storing_cpu = 0.0  # seconds storing (resolution, merging and writing), apart from extraction
    batch = Batch(engine, lambda doc, outcome, notes: None)
    with ner.switched_off(not model), collecting_rarely():  # as `ties ingest` stores
        for i in range(start + 1, end + 1):
            doc = read_source(next(sources))
            found = extract(doc)
            t_store, c_store = time.perf_counter(), time.process_time()
            batch.add(doc, found)
            storing += time.perf_counter() - t_store
            storing_cpu += time.process_time() - c_store
            if i % 10000 == 0:
                print(f"  {i} ingested, {(i - start) / (time.perf_counter() - t0):.0f} docs/s, "
                      f"{(i - start) / (time.process_time() - cpu0):.1f} docs per CPU-second", flush=True)
        t_store, c_store = time.perf_counter(), time.process_time()
        batch.flush()
        storing += time.perf_counter() - t_store
        storing_cpu += time.process_time() - c_store
    elapsed, cpu, count = time.perf_counter() - t0, time.process_time() - cpu0, end - start
    print(f"ingest: {count / elapsed:.0f} docs/s ({'model' if model else 'rules only'}, one process), "
          f"{elapsed:.0f} s; {count / cpu:.1f} docs per CPU-second ({cpu:.0f} CPU-s); storing (resolve + write) "
          f"{storing:.0f} s = {count / storing:.0f} docs/s, {storing_cpu:.0f} CPU-s = {count / storing_cpu:.1f} "
          f"docs per CPU-second")


def report(engine, db: str, queries: int, rng: random.Random) -> None:
    with engine.connect() as conn:
        counts = stats(conn)
        if engine.dialect.name == "postgresql":
            size = conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar()
        else:
            size = sum(p.stat().st_size for p in Path(db).parent.glob(Path(db).name + "*"))
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB RSS")
    print(f"database: {size / 1e6:.0f} MB; {counts['stories']} stories, {counts['documents']} documents, "
          f"{counts['events']} events")
    search_latency(engine, queries, rng)
    api_latency(db, queries, rng)


def search_latency(engine, queries: int, rng: random.Random) -> None:
    """p50/p95 for queries of 2, 3 and 5 Chinese characters taken from stored texts (what users
    type: words, not strings spanning punctuation), run twice so the cache is warm."""
    with engine.connect() as conn:
        texts = [t for (t,) in conn.exec_driver_sql("SELECT text FROM documents ORDER BY random() LIMIT 500")]
        runs = [r for t in texts for r in re.findall(r"[\u3400-\u9fff]{5,}", t)]
        for n in (2, 3, 5):
            picked = []
            for _ in range(queries):
                run = rng.choice(runs)
                start = rng.randrange(0, len(run) - n + 1)
                picked.append(run[start:start + n])
            for query in picked:  # warm-up pass
                search_rows(conn, query, limit=20)
            latencies = []
            for query in picked:
                t = time.perf_counter()
                search_rows(conn, query, limit=20)
                latencies.append((time.perf_counter() - t) * 1000)
            print(f"search {n} chars: p50 {statistics.median(latencies):.1f} ms, p95 {percentile(latencies, 0.95):.1f} ms "
                  f"({queries} queries, top 20 with a capped count, warm cache)")


def api_latency(db: str, requests: int, rng: random.Random) -> None:
    """p50/p95 of GET /api/events (the app in-process, read-only, as `ties serve` runs it) with
    filters a user combines: a partner, a date range, a topic, a type."""
    from fastapi.testclient import TestClient

    from ties.web.app import create_app

    # as a context manager the app shuts down at the end, releasing its connections (a stepped
    # run measures at every step, and each app's page caches would add to the peak memory)
    with TestClient(create_app(db)) as client:
        with client.app.state.engine.connect() as conn:
            partners = partner_codes(conn)[:10] or ["US"]
        topics = topic_ids()
        picked = [_event_filters(partners, topics, rng) for _ in range(requests)]
        for params in picked:  # warm-up pass
            client.get("/api/events", params=params)
        latencies = []
        for params in picked:
            t = time.perf_counter()
            response = client.get("/api/events", params=params)
            latencies.append((time.perf_counter() - t) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"/api/events {params}: HTTP {response.status_code} {response.text[:200]}")
    print(f"api /api/events: p50 {statistics.median(latencies):.1f} ms, p95 {percentile(latencies, 0.95):.1f} ms "
          f"({requests} requests with filters: partner, since/until, topic, type; page of 50 with total)")


def _event_filters(partners: list[str], topics: list[str], rng: random.Random) -> dict:
    """One request's filters, as a user combines them."""
    year = rng.randint(2016, 2026)
    return rng.choice([{"partner": rng.choice(partners)},
                       {"since": f"{year}-01-01", "until": f"{year}-12-31"},
                       {"topic": rng.choice(topics)},
                       {"partner": rng.choice(partners), "since": f"{year}-01-01"},
                       {"topic": rng.choice(topics), "type": "CONSULT", "until": f"{year}-06-30"}])


if __name__ == "__main__":
    main()
