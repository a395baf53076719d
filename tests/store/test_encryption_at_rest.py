"""No personal data in plaintext anywhere in the data directory."""

from __future__ import annotations

from pathlib import Path

import sqlcipher3
from sqlalchemy import select

from fanguai_desk.services.demo import DemoSpec
from fanguai_desk.store.models import Victim
from tests.conftest import make_desk


def test_no_synthetic_name_or_id_number_appears_in_any_file_of_the_data_directory(tmp_path: Path) -> None:
    data = tmp_path / "r"
    desk = make_desk(data)
    desk.demo.run(DemoSpec(victims=150, townships=2, seed=11))
    vid, _ = desk.victims.register({"name": "欧阳明珠", "alias": "小珠", "sex": "F", "birth_date": "2011-05-06",
                                    "notes": "住在红岩镇桃花村三组，由姑姑照顾", "household_registration": "红岩镇桃花村"})
    with desk.read() as s:
        victims = list(s.scalars(select(Victim).limit(60)))
    needles = {"欧阳明珠", "小珠", "桃花村", "红岩镇桃花村三组"}
    needles |= {v.name for v in victims if v.name and len(v.name) >= 2}
    needles |= {v.id_number for v in victims if v.id_number}
    needles |= {v.name_pinyin for v in victims if v.name_pinyin and len(v.name_pinyin) >= 8}
    desk.victims.open_file(vid)
    desk.victims.reveal(vid)
    # Keep the registry open (WAL and shm present) and also scan after closing.
    for phase in ("open", "closed"):
        files = [p for p in data.rglob("*") if p.is_file()]
        assert any(p.name.endswith("-wal") for p in files) or phase == "closed"
        for path in files:
            blob = path.read_bytes()
            for needle in needles:
                for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                    encoded = needle.encode(encoding)
                    # A two-character name is 4 bytes in UTF-16: ciphertext holds any 4 bytes by chance (a
                    # megabyte of WAL has ~1/4000 of a chance per needle; 60 names, two encodings, several MB
                    # make a false alarm likely).  Six bytes and more (UTF-8 of the same name) stay meaningful.
                    if len(encoded) >= 6:
                        assert encoded not in blob, f"plaintext in {path.name}"
        desk.close()


def test_database_file_is_unreadable_without_the_key(tmp_path: Path) -> None:
    data = tmp_path / "r"
    make_desk(data).close()
    assert not (data / "registry.db").read_bytes().startswith(b"SQLite format 3")
    conn = sqlcipher3.connect(str(data / "registry.db"))
    try:
        conn.execute("PRAGMA key = 'guess'")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            raise AssertionError("opened without the key")
        except sqlcipher3.DatabaseError:
            pass
    finally:
        conn.close()


def test_temp_store_is_memory_and_secure_delete_is_on(desk) -> None:  # type: ignore[no-untyped-def]
    with desk.registry.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA temp_store").scalar() == 2
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
