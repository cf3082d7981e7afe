def test_a_names_possessive_reads_as_english() -> None:
    from policycoord.core.text import possessive

    assert possessive("St Mary's Primary") == "St Mary's Primary's"
    assert possessive("Northshire Council Children's Services") == (
        "Northshire Council Children's Services'"
    )
    assert possessive("NHS") == "NHS's"
