"""Engineer ids for the team repository's folders: ASCII, stable, readable."""

from __future__ import annotations

import re
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from sitedash.services.identity import person_id, slug


def test_accented_letters_keep_their_ascii_base() -> None:
    assert person_id("Győri Anna") == "gyori-anna"
    assert person_id("José García-Núñez") == "jose-garcia-nunez"
    assert person_id("Łukasz Wałęsa") == "lukasz-walesa"
    assert person_id("Jürgen Straße") == "jurgen-strasse"
    assert person_id("Søren Ærø") == "soren-aero"
    assert slug("MES roll-out, Győr plant") == "mes-roll-out-gyor-plant"


def test_names_without_ascii_letters_get_a_short_stable_id() -> None:
    li = person_id("李伟")
    assert re.fullmatch(r"u[0-9a-f]{8}", li)
    assert person_id("李伟") == li and person_id(" 李伟 ") == li
    assert person_id("李薇") != li, "two names, two folders"
    mixed = person_id("李伟 (Li Wei)")
    assert re.fullmatch(r"li-wei-[0-9a-f]{6}", mixed)
    assert person_id("李薇 (Li Wei)") != mixed, "the Chinese name keeps them apart"
    assert re.fullmatch(r"u[0-9a-f]{8}", person_id("Иван Петров"))


def test_the_id_is_the_same_in_another_process() -> None:
    """Not Python's salted hash: the folder must not move between runs."""
    probe = "from sitedash.services.identity import person_id; print(person_id('李伟'))"
    other = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert other.stdout.strip() == person_id("李伟")


@given(st.text())
def test_any_name_gives_a_safe_folder_name(name: str) -> None:
    made = person_id(name)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", made)
    assert len(made) <= 32
    assert made not in (".", "..")
