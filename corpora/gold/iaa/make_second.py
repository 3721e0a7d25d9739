"""Writes second_annotator.jsonl from hand-chosen substrings (the choices were made by reading
each note; this script only turns them into offsets and validates). Stdlib only."""
from _second import CC, PR, F, N, P, cc, write

PICK = [1, 3, 5, 7, 9, 11, 21, 23, 25, 27, 29, 31]

# note_id -> (spans [(substring, label, attrs)], negated [(substring, label)])
ANN = {
    "aci-D2N007": ([
        ("She reports that she experiences stiffness and pain when she sits or stands for long periods of time at her desk at work", F, {"direction": "none"}),
        ("She is experiencing worsened pain with sitting for extended periods of time", F, {"direction": "none"}),
    ], []),
    "aci-D2N032": ([
        ("Initially the pain would only happen when she took a step back, but the pain has progressed and now occurs with any type of movement involving her right hip and groin", F, {"direction": "worsened"}),
        ("She rates her pain as 2-7/10", P, {"value": 7, "scale": "nrs"}),
        ("Current Pain Intensity: 2/10", P, {"value": 2, "scale": "vas"}),
        ("Average Pain Intensity Over the Past Week: 4/10", P, {"value": 4, "scale": "vas"}),
        ("Pain at Best:\u202f2/10", P, {"value": 2, "scale": "vas"}),
        ("Pain at Worst: 7/10", P, {"value": 7, "scale": "vas"}),
        ("Aggravating Factors:\u202fWalking, pivoting, turning, any movement engaging right hip", F, {"direction": "none"}),
        ("NSAID PRN by mouth", CC, cc("nsaid")),
    ], [
        ("Opioid Use: No", CC),
    ]),
    "aci-D2N040": ([
        ("Due to her headaches, she has been inconsistent with her exercise and checking her blood sugar", F, {"direction": "none"}),
        ("She can continue to take Tylenol for the pain", CC, cc("acetaminophen")),
    ], []),
    "aci-D2N048": ([
        ("The patient reports that she was unable to continue playing secondary to the pain", F, {"direction": "none"}),
        ("She states that she wrapped her foot after the game and iced it last night", CC, cc("bracing, ice_heat")),
        ("The patient adds that she kept her foot up on a pillow and took ibuprofen for pain", CC, cc("other, nsaid")),
        ("We discussed treatment options for this and I have recommended that we proceed with surgical intervention", N, {}),
    ], []),
    "aci-D2N050": ([
        ("He may continue to take Tylenol between the oxycodone doses for any breakthrough pain", CC, cc("acetaminophen")),
        ("I have also recommended that we obtain a BMP, urinalysis, and urine culture to evaluate for any signs of infection", N, {}),
        ("If his symptoms have not improved, we will discuss further treatment options including lithotripsy", N, {}),
    ], []),
    "aci-D2N057": ([
        ("He noticed the pain worsening when he was at a trade show convention and he could not ambulate as he was forced to stand there as the pain was there the whole time", F, {"direction": "none"}),
        ("The patient describes his pain usually as throbbing and burning, but notes it occasionally changes to sharp, stabbing pain especially with movement or prolonged ambulation", F, {"direction": "none"}),
        ("He adds that he has been taking 2 ibuprofen per day, which does not provide him with relief", CC, cc("nsaid", "failed")),
        ("We discussed treatment options for this and I have recommended that we begin with conservative treatment in the form of custom orthotics", N, {}),
        ("If his pain does not improve with the orthotics, I will recommend a cortisone injection or surgical intervention", N, {}),
    ], []),
    "mts-1693": ([
        ("She said that they began \"as soon as she arrived and that these were initially related to problems with her taking too much sick time off secondary to diabetes and fibromyalgia management and at one point she needed to obtain a doctor's note for any days off", F, {"direction": "none"}),
        ("She was dismissed from this position in September 2009, although she said that she is still under active status technically, but is not able to work", F, {"direction": "none"}),
        ("In July of this year, she reportedly received a letter from personnel indicating that she was being referred to a state medical doctor because she was unable to perform her job duties and due to excessive sick time", F, {"direction": "none"}),
        ("In July of this year, she reportedly received a letter from personnel indicating that she was being referred to a state medical doctor because she was unable to perform her job duties and due to excessive sick time", N, {}),
        ("She said that on 08/27/2009, she returned to see the original doctor who told her that based on that evaluation she was not able to work anymore", F, {"direction": "none"}),
        ("The patient' deficits within the current test battery suggest that she would not be able to safely and effectively perform the duties of a nurse supervisor without help handling documentary demands and some supervision of her visual processing", F, {"direction": "none"}),
        ("Following her dismissal, The patient presented to her primary physician, Henry Fein, M.D., who referred her to Dr. X for a second opinion regarding her cognitive deficits", N, {}),
        ("A repeat neurocognitive testing was suggested in order to assess for subtle deficits in memory and concentration that were not appreciated on this gross cognitive measure", N, {}),
        ("She continues to independently perform all activities of daily living", F, {"direction": "none"}),
        ("She is in charge of the household finances", F, {"direction": "none"}),
        ("NovoLog, insulin pump, metformin, metoprolol, amlodipine, Topamax, Lortab, tramadol, amitriptyline, calcium plus vitamin D, fluoxetine, pantoprazole, Naprosyn, fluticasone propionate, and vitamin C", CC, cc("neuropathic, opioid, nsaid")),
        ("She ambulated independently and no gross psychomotor abnormalities were noted", F, {"direction": "none"}),
        ("This is a 58-year-old African-American female with 16 years of education who is referred for a neuropsychological evaluation by Dr. X in order to assess for possible cognitive impairment", N, {}),
        ("This evaluation was requested as a second opinion in order to clarify the nature of her cognitive impairment and make recommendations for ongoing treatment planning", N, {}),
        ("One concern that we would like to bring up is that if visuospatial problems are of newer onset, they may be contributing to her recent falls and thus should be monitored for changes and progression and she should return for reevaluation in one year's time in order to determine any changes in her cognitive functioning", N, {}),
        ("The nature of her frequent falls is uncertain, but it is possible that weaknesses in visuospatial processing may be contributing and this should be further evaluated by her physicians", N, {}),
    ], [
        ("has had no problems paying bills on time, has had no difficulties with driving or accidents", F),
    ]),
    "mts-1886": ([
        ("Pain in the lumbar spine secondary to facet arthrosis that was demonstrated by physical examination and verified with x-ray studies and imaging scans", N, {}),
    ], []),
    "mts-1906": ([], []),
    "mts-1911": ([
        ("She continued to have pain within the shoulder", PR, {"relief_pct": None, "duration_weeks": None}),
        ("She continued to have pain within the shoulder", N, {}),
        ("She had a repeat MRI performed, which confirmed the clinical diagnosis of re-tear of the rotator cuff", N, {}),
    ], []),
    "mts-214": ([
        ("He is having difficulties raising his arm over his head", F, {"direction": "none"}),
        ("He is doing well in school", F, {"direction": "none"}),
        ("Rule out fracture, and physical therapy if negative", N, {}),
        ("Continue anti-inflammatories", CC, cc("nsaid")),
        ("Prescriptions x 3 months were given, also names for counseling for his anger issues", N, {}),
    ], [
        ("He is not taking any anti-inflammatories or pain relievers", CC),
    ]),
    "mts-2314": ([
        ("With the patient in the ICU bed who was having a large amount of intravenous narcotic to control his thoracotomy pain", CC, cc("opioid")),
        ("The patient tolerated the procedure well and experienced immediate benefit out of the procedure", PR, {"relief_pct": None, "duration_weeks": None}),
    ], []),
}



def main():
    write(PICK, ANN, "iaa", "second_annotator.jsonl")


if __name__ == "__main__":
    main()
