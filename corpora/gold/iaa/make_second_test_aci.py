"""Writes second_annotator_test_aci.jsonl from hand-chosen substrings (the choices were made by
reading each note; this script only turns them into offsets and validates). Stdlib only.
Independent second annotation (annotator iaa2) of 13 ACI-Bench test notes."""
from _second import CC, F, N, P, cc, write

PICK = [2, 4, 6, 8, 10, 12, 13, 14, 15, 16, 17, 18, 19]

# note_id -> (spans [(substring, label, attrs)], negated [(substring, label)])
ANN = {
    "aci-D2N026": ([
        ("He woke around 2:00 am with intense pain in his left arm and hand", F, {"direction": "none"}),
        ("He applied ice and after 2-3 hours, the pain improved and he was able to go back to sleep, the pain did not return until that evening", CC, cc("ice_heat", "helped")),
        ("The patient has benefited from the gabapentin and prednisone, reporting improvement of pain at night", CC, cc("neuropathic, oral_steroid", "helped")),
        ("Mr. Clark does report a history of a left finger injury, stating \u201cit rarely works\u201d, and neuropathy in one leg from his knee to his foot which he receives 1% disability for", F, {"direction": "none"}),
        ("The patient is a veteran and receives 1% disability", F, {"direction": "none"}),
        ("Gabapentin tablet", CC, cc("neuropathic")),
        ("Prednisone tablet", CC, cc("oral_steroid")),
        ("Presents in wheelchair", F, {"direction": "none"}),
        ("He will continue his home exercise program as well as twice daily gabapentin", CC, cc("home_exercise, neuropathic")),
        ("Continue home exercise program and twice daily gabapentin", CC, cc("home_exercise, neuropathic")),
    ], []),
    "aci-D2N037": ([
        ("His pain is localized to the medial aspect of his elbows and is described as being extremely sore, worse with increased use of his upper extremities", F, {"direction": "none"}),
        ("Applying ice to the area has not been helpful", CC, cc("ice_heat", "failed")),
        ("he does use ibuprofen 800 mg 3 times daily", CC, cc("nsaid")),
        ("The patient reports that he has been taking ibuprofen 800 mg 3 times daily", CC, cc("nsaid")),
    ], []),
    "aci-D2N042": ([
        ("Initially, she was unable to bear weight on the ankle and required help getting inside; however, she is now able to slightly bear weight but ambulates with an antalgic gait", F, {"direction": "improved"}),
        ("Ice, elevation, and ibuprofen have been helpful at reducing her pain", CC, cc("ice_heat, other, nsaid", "helped")),
        ("She rates her current pain as 4/10", P, {"value": 4, "scale": "nrs"}),
        ("her pain without medication as 6/10", P, {"value": 6, "scale": "nrs"}),
        ("her pain with medication as 1/10", P, {"value": 1, "scale": "nrs"}),
        ("Of note, the patient participates in an intramural soccer league but has not been able to play since this injury", F, {"direction": "none"}),
        ("The patient reports that she has been taking ibuprofen", CC, cc("nsaid")),
        ("I advised her to keep her leg elevated when she is seated and continue to ice her ankle", CC, cc("other, ice_heat")),
        ("She should also continue taking ibuprofen as-needed for pain and inflammation management", CC, cc("nsaid")),
    ], []),
    "aci-D2N049": ([
        ("Patient reports taking Tylenol, occasional ibuprofen, Norvasc 2.5 mg daily, and metformin 500 mg daily", CC, cc("acetaminophen, nsaid")),
        ("Tylenol is recommended for breakthrough pain", CC, cc("acetaminophen")),
        ("Referral to urology was also provided due to her recurrent episodes", N, {}),
    ], []),
    "aci-D2N052": ([
        ("Her primary care physician was concerned for possible kidney stones and subsequently referred her here for further evaluation", N, {}),
        ("The only treatment she has tried so far is ibuprofen with minimal pain relief", CC, cc("nsaid", "failed")),
        ("Given that over-the-counter ibuprofen is not providing significant relief, we will send in a prescription for ibuprofen 800 mg to help with her pain", CC, cc("nsaid", "failed")),
        ("If she is still symptomatic at that time, we may need to consider further treatment such as a lithotripsy", N, {}),
    ], []),
    "aci-D2N072": ([
        ("She has tried applying ice and taking Ibuprofen, but it is still very painful", CC, cc("ice_heat, nsaid", "failed")),
        ("She will take Motrin 600 mg every 6 hours for a week", CC, cc("nsaid")),
    ], []),
    "aci-D2N078": ([], []),
    "aci-D2N092": ([], []),
    "aci-D2N132": ([
        ("Lying flat and twisting motions aggravate the pain", F, {"direction": "none"}),
        ("She is currently taking ibuprofen", CC, cc("nsaid")),
        ("Ibuprofen", CC, cc("nsaid")),
        ("She will continue with Motrin 800 mg 3 times a day with food", CC, cc("nsaid")),
    ], []),
    "aci-D2N174": ([], []),
    "aci-D2N186": ([
        ("Other than spontaneous flare-ups, his pain is worsened with excessive spinal flexion", F, {"direction": "none"}),
        ("Stretching and ibuprofen 800 mg daily are helpful", CC, cc("home_exercise, nsaid", "helped")),
        ("The patient reports that, prior to his microdiscectomy in 2020, he was taking high-dose gabapentin for severe nerve pain through his back and lower extremities", CC, cc("neuropathic")),
        ("He is currently taking ibuprofen 800 mg daily", CC, cc("nsaid")),
    ], [
        ("he denies having tried icing the area", CC),
    ]),
    "aci-D2N191": ([
        ("The patient has been taking Motrin for pain, which does not provide him with relief", CC, cc("nsaid", "failed")),
        ("He notes that he had to stop cutting the grass the other day because of chest pain", F, {"direction": "none"}),
    ], []),
    "aci-D2N199": ([
        ("if his symptoms worsen we will consider a chest x-ray", N, {}),
    ], []),
}



def main():
    write(PICK, ANN, "iaa2", "second_annotator_test_aci.jsonl")


if __name__ == "__main__":
    main()
