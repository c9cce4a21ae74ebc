"""The counselling options pooled from the library: every expected topic can be said and is credited."""

from simulator.core.scoring.judgement import topic_key, topic_matches
from simulator.ui.counsel_topics import LABEL_MAX_CHARS, library_options, short_label, shuffled_for


def test_every_expected_topic_of_every_case_has_an_option_the_scorer_credits(library):
    cases, _ = library
    options = library_options(cases)
    labels = [o.label for o in options]
    assert len(set(map(topic_key, labels))) == len(labels)  # no two rows say the same thing
    for case in cases:
        for text in case.agent_policy.expected_counselling:
            assert any(topic_matches(topic_key(label), text) for label in labels), (case.id, text)
    assert all(len(label) <= LABEL_MAX_CHARS for label in labels)
    assert all(len(topic_key(label)) >= 6 for label in labels)  # the scorer ignores shorter prefixes


def test_a_label_is_a_leading_part_of_its_sentence_without_citations():
    text = "Why no steroid: no added benefit in trials, and it would raise her glucose on day 1-2 [116][118]."
    label = short_label(text)
    assert text.startswith(label) and "[" not in label and len(label) < len(text)
    assert short_label("Review in two weeks [33].") == "Review in two weeks"


def test_the_same_soreness_advice_in_different_words_is_one_option(library):
    cases, _ = library
    soreness = [t for c in cases for t in c.agent_policy.expected_counselling if "soreness" in t.lower()]
    assert len(set(soreness)) >= 2  # the library words it more than one way
    matching = [o for o in library_options(cases) if any(t in o.texts for t in soreness)]
    assert len(matching) == 1 and set(matching[0].texts) == set(soreness)


def test_the_order_is_fixed_by_the_case_id_and_differs_between_cases(library):
    cases, _ = library
    options = library_options(cases)
    first = shuffled_for("s3_infraspinatus_diabetic", options)
    assert first == shuffled_for("s3_infraspinatus_diabetic", options)
    assert sorted(first, key=lambda o: o.key) == options  # a permutation
    assert first != shuffled_for("s9_scm_whiplash", options)
