"""Ingest is incremental and safe: re-ingest costs nothing, changes replace, bad files are named."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import CBS_ID, FT_ID, SEEDS


def vector_ids(kb, article_id: str) -> set[str]:  # type: ignore[no-untyped-def]
    got = kb.store.collection.get(where={"article_id": article_id}, include=[])
    return set(got["ids"])


def keyword_ids(kb, article_id: str) -> set[str]:  # type: ignore[no-untyped-def]
    rows = kb.store.db.execute(
        "SELECT c.id FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid "
        "WHERE chunks_fts MATCH 'ukraine' AND c.article_id = ?",
        (article_id,),
    )
    return {r[0] for r in rows}


def test_reingesting_unchanged_articles_embeds_nothing(kb) -> None:
    before = kb.store.counts()
    texts_before = kb.embedder.texts
    report = kb.ingest([SEEDS])
    assert sorted(report.unchanged) == [FT_ID, CBS_ID]
    assert report.added == report.updated == []
    assert report.embedded == 0 and report.chunks_added == 0
    assert kb.embedder.texts == texts_before
    assert kb.store.counts() == before


def test_a_changed_file_replaces_its_chunks(kb, tmp_path: Path) -> None:
    old_ids = vector_ids(kb, FT_ID)
    assert old_ids
    changed = tmp_path / f"{FT_ID}.txt"
    text = (SEEDS / f"{FT_ID}.txt").read_text()
    changed.write_text(text + "\n\nA correction: the meeting in Paris moved to Friday.\n")
    report = kb.ingest([changed])
    assert report.updated == [FT_ID]
    new_ids = vector_ids(kb, FT_ID)
    assert new_ids and not (new_ids & old_ids)  # nothing of the old version remains
    stored = {
        r[0] for r in kb.store.db.execute("SELECT id FROM chunks WHERE article_id=?", (FT_ID,))
    }
    assert stored == new_ids
    assert "moved to Friday" in kb.article_text(FT_ID)
    assert kb.store.counts()["chunks"] == kb.store.counts()["vectors"]


def test_delete_removes_an_article_from_both_indexes(kb) -> None:
    assert vector_ids(kb, CBS_ID) and keyword_ids(kb, CBS_ID)
    assert kb.delete(CBS_ID) is True
    assert vector_ids(kb, CBS_ID) == set()
    assert keyword_ids(kb, CBS_ID) == set()
    assert kb.article(CBS_ID) is None
    assert {h.article_id for h in kb.search("Peskov Kremlin", k=10)} <= {FT_ID}
    assert kb.delete(CBS_ID) is False
    counts = kb.store.counts()
    assert counts["articles"] == 1 and counts["chunks"] == counts["vectors"]


def test_identical_content_under_another_name_is_stored_once(kb, tmp_path: Path) -> None:
    copy = tmp_path / "same-article-renamed.txt"
    shutil.copy(SEEDS / f"{CBS_ID}.txt", copy)
    report = kb.ingest([copy])
    assert report.duplicates == {"same-article-renamed": CBS_ID}
    assert kb.article("same-article-renamed") is None
    assert kb.store.counts()["articles"] == 2


def test_bad_files_are_named_and_the_good_ones_still_go_in(kb, tmp_path: Path) -> None:
    d = tmp_path / "incoming"
    d.mkdir()
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    (d / "latin.txt").write_bytes(b"Caf\xe9 owners in Kyiv said prices rose.\n")
    (d / "broken.json").write_text('{"id": "x", "text": "unterminated')
    good = {"id": "good-1", "title": "Good one", "text": "A perfectly fine article about grain."}
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({**good, "id": "good-2"} | {"text": "Another fine article about ports."}),
    ]
    (d / "mixed.jsonl").write_text("\n".join(lines) + "\n")
    before = kb.store.counts()

    report = kb.ingest([d, tmp_path / "does-not-exist"])

    failures = {Path(f.path).name: f for f in report.failed}
    assert set(failures) == {
        "empty.txt",
        "binary.txt",
        "latin.txt",
        "broken.json",
        "mixed.jsonl",
        "does-not-exist",
    }
    assert failures["mixed.jsonl"].line == 2
    assert failures["latin.txt"].line == 1
    assert failures["broken.json"].line == 1
    for f in report.failed:
        assert f.reason and Path(f.path).name in str(f)
    assert sorted(report.added) == ["good-1", "good-2"]
    after = kb.store.counts()
    assert after["articles"] == before["articles"] + 2
    assert kb.article(FT_ID) and kb.article(CBS_ID)  # nothing stored before was lost


def test_a_second_writer_waits_and_then_gets_a_clear_error(kb) -> None:
    import pytest

    from qa.store import IndexBusy

    with (
        kb.store.write_lock(),
        pytest.raises(IndexBusy, match="busy"),
        kb.store.write_lock(wait=0.3),
    ):
        pass


def test_an_index_of_another_format_is_refused_clearly(tmp_path: Path) -> None:
    import pytest

    from qa import KnowledgeBase
    from qa.store import StoreError

    idx = tmp_path / "idx"
    idx.mkdir()
    (idx / "FORMAT.json").write_text('{"format": 99, "embedder": "other"}')
    with pytest.raises(StoreError, match="format 99"):
        KnowledgeBase(idx)
    notidx = tmp_path / "photos"
    notidx.mkdir()
    (notidx / "cat.jpg").write_bytes(b"x")
    with pytest.raises(StoreError, match="not a qa index"):
        KnowledgeBase(notidx)
