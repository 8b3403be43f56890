from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from verifier.errors import InputError
from verifier.relate import Judgement, _Pair, _shipped_model, relate, relate_lines


def test_a_different_number_for_the_same_quantity_is_a_number_conflict() -> None:
    result = relate(
        "Police said 12 people were killed in the blast in Kabul on Tuesday.",
        "Police said 15 people were killed in the blast in Kabul on Tuesday.",
    )
    assert (result.relation, result.slot) == ("conflict", "number")
    assert "12" in result.reason and "15" in result.reason


def test_said_against_denied_is_a_negation_conflict() -> None:
    result = relate(
        "The minister said the steel plant would close next year.",
        "The minister denied the steel plant would close next year.",
    )
    assert (result.relation, result.slot) == ("conflict", "negation")


def test_a_negated_statement_is_a_negation_conflict() -> None:
    result = relate(
        "The mayor signed the budget bill on Friday evening.",
        "The mayor did not sign the budget bill on Friday evening.",
    )
    assert (result.relation, result.slot) == ("conflict", "negation")


def test_the_same_quote_given_to_another_speaker_is_a_speaker_conflict() -> None:
    result = relate(
        '"We will not back down," Glass said.',
        'Johnstone said: "We will not back down."',
    )
    assert (result.relation, result.slot) == ("conflict", "speaker")
    assert "Glass" in result.reason and "Johnstone" in result.reason


def test_the_same_quote_from_the_same_speaker_is_no_speaker_conflict() -> None:
    result = relate(
        '"We will not back down," Glass said.',
        '"We will not back down," said George Glass.',
    )
    assert result.slot != "speaker"


def test_a_place_within_the_other_is_no_place_conflict_but_a_sibling_is() -> None:
    said = "Chinese jets locked radar on Japanese fighters near {} on Saturday, officials said."
    assert relate(said.format("Naha"), said.format("Okinawa")).slot != "place"
    sibling = relate(said.format("Naha"), said.format("Sapporo"))
    assert (sibling.relation, sibling.slot) == ("conflict", "place")


def test_a_paraphrase_agrees() -> None:
    result = relate(
        "The company will cut 2,000 jobs at its Detroit factory, executives said.",
        "Executives said the firm plans to eliminate 2,000 positions at the Detroit factory.",
    )
    assert result.relation == "agree"
    assert result.slot is None


def test_texts_about_different_things_are_unrelated() -> None:
    result = relate(
        "The central bank raised interest rates by half a point on Wednesday.",
        "A rare orchid bloomed in the botanical garden after twenty years.",
    )
    assert result.relation == "unrelated"
    assert result.slot is None


def test_two_sentences_sharing_no_content_word_are_unrelated_by_rule() -> None:
    pair = _Pair("Prices rose sharply.", "A rare orchid bloomed.")
    assert not pair.shared and not pair.headlines
    result = relate(pair.a.text, pair.whole_b.text)
    assert result.relation == "unrelated"
    assert result.score >= 0.9


def test_two_headlines_sharing_no_content_word_are_left_to_the_model() -> None:
    a = "Horrible Human Slaps Elderly Woman For Sneezing"
    b = "Man wanted for hitting people who sneeze in public"
    pair = _Pair(a, b)
    assert not pair.shared and pair.headlines
    probabilities = _shipped_model().probabilities(pair.features())
    assert max(probabilities, key=lambda name: probabilities[name]) == "agree"
    assert relate(a, b).relation == "agree"


def test_a_run_of_capitals_does_not_stall_the_speaker_search() -> None:
    # Capitalised words once had exponentially many readings; a child process bounds the wait.
    headline = "SENATE REPUBLICANS POISED TO BLOCK DEMOCRATS' SWEEPING ELECTION REFORM BILL " * 3
    code = (
        "from verifier.relate import _speaker; "
        f"assert _speaker({headline!r}) is None; "
        "assert _speaker('\"We will win,\" Jane Smith said.') == 'Jane Smith'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=20)


def test_a_body_calling_the_headline_a_hoax_conflicts() -> None:
    headline = "Durex is launching a pumpkin spice condom"
    body = " ".join(
        [
            "A picture of a pumpkin spice condom from Durex spread quickly online this week.",
            "The company said the product does not exist and called the image a hoax.",
            "A spokeswoman said Durex has no plans to launch any such flavour.",
            "The fake advertisement was made by a prankster and shared thousands of times.",
            "Other brands have sold seasonal products, but none of them were condoms.",
            "Fact checkers said the picture had been edited and the story was false.",
        ]
    )
    assert relate(headline, body).relation == "conflict"


def test_two_short_texts_have_no_learned_word_terms_and_a_body_has_some() -> None:
    headline = "Durex is launching a pumpkin spice condom"
    body = " ".join(
        ["A picture of a pumpkin spice condom spread online and was called a hoax."] * 8
    )
    assert _Pair(headline, "Durex launches a pumpkin spice condom").terms(1.0) == set()
    terms = _Pair(headline, body).terms(1.0)
    assert {"Lbo:hoax", "Lboh:hoax"} <= terms


def test_a_judgement_has_a_score_between_zero_and_one() -> None:
    result = relate("Fire destroyed the old mill.", "The old mill burned down in a fire.")
    assert isinstance(result, Judgement)
    assert 0.0 <= result.score <= 1.0


def test_relate_lines_writes_one_json_line_per_pair_in_input_order() -> None:
    lines = [
        json.dumps(
            {"id": "p1", "a": "Police said 12 people died.", "b": "Police said 15 people died."}
        ),
        "",
        json.dumps({"id": 7, "a": "Rates rose on Wednesday.", "b": "An orchid bloomed."}),
        "   \n",
        json.dumps({"id": "p3", "a": "The mayor resigned.", "b": "The mayor resigned today."}),
    ]
    out = [json.loads(line) for line in relate_lines(lines)]
    assert [row["id"] for row in out] == ["p1", 7, "p3"]
    for row in out:
        assert set(row) == {"id", "relation", "score", "slot", "reason"}
        assert row["relation"] in {"agree", "conflict", "unrelated"}
    assert (out[0]["relation"], out[0]["slot"]) == ("conflict", "number")


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ('{"id": "x", "a": "one"', "not valid JSON"),
        ('["x", "a", "b"]', "expected an object"),
        ('{"id": "x", "a": "one"}', "missing 'b'"),
        ('{"id": "x", "a": "one", "b": 2}', "must be strings"),
    ],
)
def test_a_malformed_line_names_its_line_number(bad_line: str, message: str) -> None:
    lines = [json.dumps({"id": "ok", "a": "One text.", "b": "Another text."}), "", bad_line]
    with pytest.raises(InputError, match=rf"line 3: .*{message}"):
        list(relate_lines(lines))


def test_the_shipped_model_is_small_and_holds_single_words_only() -> None:
    path = Path(__file__).parents[1] / "verifier" / "data" / "relate_model.json"
    assert path.stat().st_size < 2_000_000
    data = json.loads(path.read_text(encoding="utf-8"))
    words = data["word_weights"]["words"]
    assert len(words) <= 20_000
    assert all(word.isalnum() or "'" in word for word in words)
    assert all(bucket.isdigit() for bucket in data["term_weights"])


def test_a_reader_that_stops_early_gets_no_error_message(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.jsonl"
    line = json.dumps({"id": 1, "a": "Prices rose.", "b": "Prices fell."})
    pairs.write_text((line + "\n") * 20_000, encoding="utf-8")
    command = [sys.executable, "-m", "verifier.cli", "relate", str(pairs)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        assert json.loads(process.stdout.readline())["id"] == 1
        process.stdout.close()
        error = process.stderr.read()
        process.wait(timeout=60)
    assert error == b""
