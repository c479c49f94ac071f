from kb.text import analyze, fold, split_sentences


def test_elisions_are_cut_and_accents_folded() -> None:
    assert analyze("l'équipe d'accueil")[:2] == analyze("équipe accueil")[:2]
    assert fold("Équipe Relais") == "equipe relais"


def test_inflections_share_a_stem() -> None:
    assert analyze("préconisations") == analyze("préconisation")
    assert analyze("les ruptures")[0] == analyze("rupture")[0]


def test_stop_words_dropped_acronyms_kept() -> None:
    terms = analyze("Quelles sont les missions de la MDPH ?")
    assert "mdph" in terms
    assert "les" not in terms and "la" not in terms


def test_sentences_are_exact_substrings() -> None:
    text = "Première phrase. Deuxième phrase, plus longue !\n\nTroisième ? « Quatrième » enfin."
    sentences = split_sentences(text)
    assert sentences == [
        "Première phrase.",
        "Deuxième phrase, plus longue !",
        "Troisième ?",
        "« Quatrième » enfin.",
    ]
    assert all(s in text for s in sentences)
