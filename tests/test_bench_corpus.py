"""The store benchmark's corpus with invented names (`bench_store.py --names N`): the figures it
gives for growth are only worth reading if every sample name is really replaced, consistently
within a document, and the default corpus stays the one earlier runs measured."""
import hashlib
import random
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_store import InventedNames, build  # noqa: E402

NAMES = ["林佳龍", "林佳", "格魯克斯曼", "Andrius Kubilius"]
INITIATIVES = ["臺波產業合作瞭解備忘錄", "台捷經濟合作論壇"]
PINNED_DIGEST = "f8278a45f8d9e80fb971bdd9ffb77b87a493c81c02439e6460a9a4dd54275887"
SENTENCES = ["外交部長林佳龍今日接見歐洲議員格魯克斯曼。", "林佳龍表示，雙方將落實臺波產業合作瞭解備忘錄。",
             "Andrius Kubilius出席台捷經濟合作論壇，林佳致詞。"]


def test_every_name_is_replaced_by_one_invented_name_throughout_a_document():
    names = InventedNames(NAMES, INITIATIVES, 200, random.Random(3))
    for _ in range(20):
        recast = names.recast(SENTENCES)
        text = "".join(recast)
        assert len(recast) == len(SENTENCES)
        assert not any(name in text for name in NAMES + INITIATIVES), text
        minister = recast[0][len("外交部長"):recast[0].index("今日")]
        assert minister in names.pools["han"]  # whole: 林佳龍 is not read as 林佳 and 龍
        assert recast[1].startswith(minister + "表示")  # the same person in both sentences
        assert "瞭解備忘錄" in recast[1] and "論壇" in recast[2]  # an initiative keeps its kind


def test_commoner_invented_names_are_drawn_more_often():
    names = InventedNames(["林佳龍"], [], 1000, random.Random(5))
    drawn = [names.recast(["林佳龍致詞。"])[0] for _ in range(2000)]
    first = drawn.count(names.pools["han"][0] + "致詞。")
    assert first > 2000 / 20  # about 1/ln(1000) of the draws, where uniform draws would give 2
    assert len(set(drawn)) > 100


def corpus_digest(build_corpus, folder) -> str:
    sentences = [f"第{i}句，外交部長林佳龍今日接見外賓，雙方討論合作。" for i in range(40)]
    folder.mkdir()
    build_corpus(folder, 60, sentences, random.Random(7))
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.txt"))]
    return hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()


def test_without_invented_names_the_corpus_is_the_one_earlier_runs_measured(tmp_path):
    # pinned from the build before --names existed (the same digest from both)
    assert corpus_digest(build, tmp_path / "corpus") == PINNED_DIGEST
