import pytest

from cstocrawl.parsing.text import clean_line, clean_paragraphs, is_image_file_name


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  A\u00a0meeting \n\t was  held ", "A meeting was held"),
        ("soft\u00adhyphen and zero\u200bwidth\ufeff", "softhyphen and zerowidth"),
        ("Tasmagambetov said: p>", "Tasmagambetov said:"),
        ("said: p> The council", "said: The council"),
        ("</p> text <br/>", "text"),
        ("ХI International Exhibition", "ХI International Exhibition"),  # Cyrillic Х is data
        ("a > b and p>q", "a > b and p>q"),
        ("said:p> more", "said:p> more"),  # a fragment opens a word: never glued to one
    ],
)
def test_clean_line(raw: str, clean: str) -> None:
    assert clean_line(raw) == clean


@pytest.mark.parametrize(
    "name",
    [
        "IMG-20190301-WA0012.jpg",
        "DSC_4960.JPG",
        "Встреча Генска ОДКБ, ШОС и Предс.Исп.СНГ в Циндао 9.06.2018.jpg",
    ],
)
def test_image_file_names_are_captions(name: str) -> None:
    assert is_image_file_name(name)


def test_clean_paragraphs_drops_captions_and_empties() -> None:
    assert clean_paragraphs(["One.", " \u200b ", "1508056642.jpg", "Two p>"]) == ["One.", "Two"]
    assert not is_image_file_name("The photo report is at gallery.jpg on the site, see it.x")
